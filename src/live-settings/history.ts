// The audit trail of live settings: every change of every field, oldest first, read from the
// audit topic (kept forever, one partition: one order for everyone).
import type { ConnectionSettingChange } from '../contracts/connection-settings.js';
import type { Infra } from '../shared/infra.js';
import { ephemeralGroupId, rangesOf, readRanges } from '../shared/kafka/topic-range.js';
import { isLiveField, showValue, type LiveSettings } from './fields.js';

export interface HistoryEntry {
  readonly connectionId: string;
  readonly revision: number;
  readonly field: string;
  /** As people read it (yes/no, off, the choice); null when seeded. */
  readonly from: string | null;
  readonly to: string;
  readonly by: string;
  /** ISO-8601. */
  readonly at: string;
}

export function historyEntry(change: ConnectionSettingChange): HistoryEntry {
  const show = (json: string): string => {
    const value = JSON.parse(json) as LiveSettings[keyof LiveSettings];
    return isLiveField(change.field) ? showValue(change.field, value) : String(value);
  };
  return {
    connectionId: change.connectionId,
    revision: change.revision,
    field: change.field,
    from: change.oldValue === null ? null : show(change.oldValue),
    to: show(change.newValue),
    by: change.changedBy,
    at: new Date(change.changedAt).toISOString(),
  };
}

export async function readHistory(infra: Infra, connectionId?: string): Promise<HistoryEntry[]> {
  const admin = await infra.admin();
  const codecs = await infra.codecs();
  const topic = infra.topics.settingsAudit;
  const entries: HistoryEntry[] = [];
  await readRanges(
    infra.kafka(),
    admin,
    topic,
    await rangesOf(admin, topic),
    async ({ messages }) => {
      for (const m of messages) {
        if (!m.value) continue;
        const change = await codecs.settingsAudit.decode(m.value);
        if (connectionId === undefined || change.connectionId === connectionId) entries.push(historyEntry(change));
      }
    },
    { groupId: ephemeralGroupId(infra.topicPrefix, 'settings-history') },
  );
  return entries;
}
