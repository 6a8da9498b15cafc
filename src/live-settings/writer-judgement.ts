// The writer's share of the live settings: a mapped record carries the settings the mapper
// judged it by, and the writer judges it again by the settings in force when it takes the
// record in (decodes it), in one place before anything is applied: sync switched off (or the
// order trigger, for orders) since the record was mapped turns it into that skip; the invoice,
// completed and source-edited choices are the current ones. The rules are the mapper's own
// (mapDelete decides the settings-level skips and the writer's fields exactly as mapDraft does).
import type { TopicContract } from '../contracts/topic-contract.js';
import type { ConnectionSettings } from '../domain/connection.js';
import { mapDelete } from '../domain/map-draft.js';
import type { MappedDraftOrder } from '../domain/model.js';
import { ok } from '../domain/result.js';

export function judgeByLiveSettings(record: MappedDraftOrder, connection: ConnectionSettings | undefined): MappedDraftOrder {
  if (!connection) return record;
  const { origin } = record;
  // Only the settings-derived part of the result is used; the record keeps its own version.
  const judged = mapDelete(origin.shop, origin.kind, origin.id, connection, {
    recordSource: record.recordSource,
    rawId: record.rawId,
    envelopeTime: { version: record.version, clock: 'RECEIVED_AT' },
  });
  const fields = { sendInvoice: judged.sendInvoice, onCompleted: judged.onCompleted, onSourceEdited: judged.onSourceEdited };
  if (judged.action === 'SKIP' && record.action !== 'SKIP') {
    return { ...record, ...fields, action: 'SKIP', draft: null, skipReason: judged.skipReason, missingVariants: [] };
  }
  return { ...record, ...fields };
}

/** The mapped topic's contract, each record judged by `connectionOf`'s settings as it is read. */
export function judgedByLiveSettings(contract: TopicContract<MappedDraftOrder>, connectionOf: (connectionId: string) => ConnectionSettings | undefined): TopicContract<MappedDraftOrder> {
  return {
    ...contract,
    read: (decoded) => {
      const read = contract.read(decoded);
      return read.ok ? ok(judgeByLiveSettings(read.value, connectionOf(read.value.connectionId))) : read;
    },
  };
}
