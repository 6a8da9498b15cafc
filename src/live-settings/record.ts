// Live settings as they are on their topics and as the services hold them.
import type { ConnectionSettingChange, ConnectionSettingsRecord } from '../contracts/connection-settings.js';
import { fail, ok, type Result } from '../domain/result.js';
import { checkSettings, type FieldChange, type LiveSettings } from './fields.js';

/** One connection's settings in force, with where they came from. */
export interface LiveEntry {
  readonly connectionId: string;
  readonly revision: number;
  readonly settings: LiveSettings;
  /** Epoch milliseconds. */
  readonly changedAt: number;
  readonly changedBy: string;
  /** The record's offset in the settings topic. */
  readonly offset: bigint;
}

/** Who seeded a connection from the configuration file. */
export const SEEDED_BY = 'config';

export function toRecord(connectionId: string, revision: number, settings: LiveSettings, changedBy: string, changedAt: number): ConnectionSettingsRecord {
  return {
    connectionId,
    revision,
    ...settings,
    originTag: settings.originTag === false ? null : settings.originTag,
    changedAt,
    changedBy,
  };
}

/** A record whose values break the file's rules is refused (and named), never half-read. */
export function fromRecord(record: ConnectionSettingsRecord, offset: bigint): Result<LiveEntry> {
  const { connectionId, revision, changedAt, changedBy, originTag, ...rest } = record;
  const checked = checkSettings({ ...rest, originTag: originTag ?? false });
  if (!checked.ok) return fail(`connection ${connectionId} revision ${revision}: ${checked.problems.join('; ')}`);
  return ok({ connectionId, revision, settings: checked.settings, changedAt, changedBy, offset });
}

export function toChangeRecords(connectionId: string, revision: number, changes: readonly FieldChange[], changedBy: string, changedAt: number): ConnectionSettingChange[] {
  return changes.map((c) => ({
    connectionId,
    revision,
    field: c.field,
    oldValue: c.from === null ? null : JSON.stringify(c.from),
    newValue: JSON.stringify(c.to),
    changedBy,
    changedAt,
  }));
}
