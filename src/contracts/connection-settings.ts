// The live settings topics' values: the effective settings of a connection (compacted topic,
// schemas/connection-settings.avsc) and one audited change of one of them
// (schemas/connection-setting-change.avsc). Both mirror their schema as it is on the wire;
// the values' meaning is checked where they are folded (src/live-settings), with the rules the
// configuration file is checked by.
import { fail, ok } from '../domain/result.js';
import { asIs, isRecord, type TopicContract } from './topic-contract.js';

/** Mirrors schemas/connection-settings.avsc. */
export interface ConnectionSettingsRecord {
  readonly connectionId: string;
  readonly revision: number;
  readonly draftOrderSync: boolean;
  readonly orderTrigger: boolean;
  readonly sendInvoice: boolean;
  /** null: no origin tag. */
  readonly originTag: string | null;
  readonly variantMatch: string;
  readonly unmapped: string;
  readonly prices: string;
  readonly onCompleted: string;
  readonly onSourceEdited: string;
  /** Epoch milliseconds. */
  readonly changedAt: number;
  readonly changedBy: string;
}

/** Mirrors schemas/connection-setting-change.avsc. */
export interface ConnectionSettingChange {
  readonly connectionId: string;
  /** The settings revision the change produced. */
  readonly revision: number;
  readonly field: string;
  /** JSON text; null when the connection was seeded. */
  readonly oldValue: string | null;
  readonly newValue: string;
  readonly changedBy: string;
  /** Epoch milliseconds. */
  readonly changedAt: number;
}

export const connectionSettingsContract: TopicContract<ConnectionSettingsRecord> = {
  topic: 'settings',
  schemaFile: 'connection-settings.avsc',
  recordType: 'ConnectionSettingsRecord',
  read: (decoded) => {
    if (!isRecord(decoded) || typeof decoded.connectionId !== 'string' || typeof decoded.revision !== 'number' || typeof decoded.changedBy !== 'string') {
      return fail('value: decoded record is not a ConnectionSettingsRecord');
    }
    return ok(decoded as unknown as ConnectionSettingsRecord);
  },
  write: asIs,
};

export const settingChangeContract: TopicContract<ConnectionSettingChange> = {
  topic: 'settingsAudit',
  schemaFile: 'connection-setting-change.avsc',
  recordType: 'ConnectionSettingChange',
  read: (decoded) => {
    if (!isRecord(decoded) || typeof decoded.connectionId !== 'string' || typeof decoded.field !== 'string' || typeof decoded.newValue !== 'string') {
      return fail('value: decoded record is not a ConnectionSettingChange');
    }
    return ok(decoded as unknown as ConnectionSettingChange);
  },
  write: asIs,
};
