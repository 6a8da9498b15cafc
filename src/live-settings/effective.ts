// The configuration in force: the file's stores and connections (identity: id, source,
// destination), each connection with its live settings where the topic has them. After seeding
// the topic is the truth; a file that says otherwise is reported, never silently applied.
import type { AppConfig } from '../shared/config/index.js';
import { diffSettings, liveSettingsOf, showValue } from './fields.js';
import type { LiveEntry } from './record.js';

export function effectiveConfig(config: AppConfig, entries: ReadonlyMap<string, LiveEntry>): AppConfig {
  return {
    ...config,
    connections: config.connections.map((c) => {
      const entry = entries.get(c.id);
      return entry ? { ...c, ...entry.settings } : c;
    }),
  };
}

/** One line per setting the file states otherwise than the live settings. */
export function fileDrift(config: AppConfig, entries: ReadonlyMap<string, LiveEntry>): string[] {
  const lines: string[] = [];
  for (const c of config.connections) {
    const entry = entries.get(c.id);
    if (!entry) continue;
    for (const d of diffSettings(liveSettingsOf(c), entry.settings)) {
      lines.push(
        `connection ${c.id}: ${d.field} is ${showValue(d.field, d.from)} in the configuration file but ${showValue(d.field, d.to)} in the live settings ` +
          `(revision ${entry.revision}, by ${entry.changedBy} at ${new Date(entry.changedAt).toISOString()}); the live value applies`,
      );
    }
  }
  return lines;
}
