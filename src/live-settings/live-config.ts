// What a service holds of the live settings: the configuration in force, kept current by
// following the settings topic. Started before the service consumes anything: it reads the
// topic to its end, seeds connections the topic does not know yet from the file, reports where
// the file now disagrees, and then hears every saved change. A mapper or writer also tells
// (AppliedReporter) which position it has put in force, after its listeners ran.
import type { AppConfig } from '../shared/config/index.js';
import type { Infra } from '../shared/infra.js';
import type { Logger } from '../shared/log.js';
import { AppliedReporter, type InstanceRole } from './applied.js';
import { effectiveConfig, fileDrift } from './effective.js';
import type { LiveEntry } from './record.js';
import { SettingsFollower } from './settings-follower.js';
import { SettingsWriter } from './settings-writer.js';

export interface LiveConfigOptions {
  readonly logger: Logger;
  /** mapper/writer: they judge records and report what they apply; null: a reader (page, CLI). */
  readonly role: InstanceRole | null;
  /** Seed connections missing from the topic (services do; one-shot readers do not). */
  readonly seed: boolean;
}

export interface LiveConfig {
  /** The configuration in force now. */
  config(): AppConfig;
  entry(connectionId: string): LiveEntry | undefined;
  /** Where the file disagrees with the live settings (logged at start-up). */
  drift(): readonly string[];
  /** Heard after each change was folded, before the change is reported applied. */
  onChange(listener: (config: AppConfig, changed: readonly LiveEntry[]) => void): void;
  readonly follower: SettingsFollower;
  readonly writer: SettingsWriter;
  readonly instance: string | null;
  stop(): Promise<void>;
}

export async function startLiveConfig(infra: Infra, file: AppConfig, opts: LiveConfigOptions): Promise<LiveConfig> {
  const { logger } = opts;
  const follower = await SettingsFollower.start(infra, { label: opts.role ?? 'reader', logger });
  const writer = new SettingsWriter(infra, follower);
  try {
    if (opts.seed) {
      const seeded = await writer.seed(file);
      if (seeded.length > 0) logger.info({ connections: seeded, topic: infra.topics.settings }, 'live settings seeded from the configuration file');
    }
  } catch (error) {
    await writer.close();
    await follower.stop();
    throw error;
  }
  let current = effectiveConfig(file, follower.all());
  const drift = fileDrift(file, follower.all());
  // The start-up report of a service: the file is not what is in force.
  if (opts.seed) for (const line of drift) logger.warn({ topic: infra.topics.settings }, `live settings: ${line} (change it on the settings page or with draft-sync settings set)`);
  const listeners: ((config: AppConfig, changed: readonly LiveEntry[]) => void)[] = [];
  const reporter = opts.role ? new AppliedReporter(infra.redis(), infra.names.opsPrefix, opts.role) : null;
  follower.onChange((changed, position) => {
    current = effectiveConfig(file, follower.all());
    for (const listener of listeners) listener(current, changed);
    logger.info({ changes: changed.map((e) => ({ connection: e.connectionId, revision: e.revision, by: e.changedBy })) }, 'live settings changed');
    void reporter?.report(position);
  });
  await reporter?.report(follower.position);
  return {
    config: () => current,
    entry: (id) => follower.get(id),
    drift: () => drift,
    onChange: (listener) => listeners.push(listener),
    follower,
    writer,
    instance: reporter?.instance ?? null,
    async stop() {
      await reporter?.stop();
      await writer.close();
      await follower.stop();
    },
  };
}

/**
 * The configuration in force now, read once: what one-shot commands (replay, backfill,
 * reconcile, explain) judge by, so they agree with the running mapper and writer.
 */
export async function readLiveConfig(infra: Infra, file: AppConfig, logger: Logger): Promise<AppConfig> {
  const follower = await SettingsFollower.start(infra, { label: 'cli', logger });
  try {
    return effectiveConfig(file, follower.all());
  } finally {
    await follower.stop();
  }
}
