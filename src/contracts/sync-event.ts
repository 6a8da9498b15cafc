// Builds the DraftOrderSyncEvents the writer publishes. Event ids are derived from the
// input record and the outcome, so a replayed record yields the same ids (consumers can dedupe).
import { createHash } from 'node:crypto';
import type { DraftOrderSyncEvent, MappedDraftOrder, SyncOutcome } from '../domain/model.js';

export interface EventDetails {
  readonly reason?: string | null;
  readonly sourceDraftId?: string | null;
  readonly sourceDraftName?: string | null;
}

export function syncEvent(record: MappedDraftOrder, outcome: SyncOutcome, details: EventDetails, occurredAt: Date): DraftOrderSyncEvent {
  return {
    eventId: eventIdFor(record, outcome),
    key: record.key,
    origin: record.origin,
    connectionId: record.connectionId,
    sourceShop: record.sourceShop,
    outcome,
    reason: details.reason ?? null,
    sourceDraftId: details.sourceDraftId ?? null,
    sourceDraftName: details.sourceDraftName ?? null,
    version: record.version,
    missingVariants: record.missingVariants,
    occurredAt: occurredAt.toISOString(),
    recordSource: record.recordSource,
  };
}

function eventIdFor(record: MappedDraftOrder, outcome: SyncOutcome): string {
  const hex = createHash('sha256').update([record.rawId, record.key, record.version, String(record.force), outcome].join('\u0000')).digest('hex');
  // Shaped like a UUID for consumers that expect one.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Why a queued record was not applied: a newer version of the same key replaced it. */
export const COALESCED_REASON = 'STALE: coalesced into a newer version';

/** The SKIPPED event for a record the scheduler coalesced away in favour of `newer`. */
export function coalescedEvent(record: MappedDraftOrder, newer: MappedDraftOrder, occurredAt: Date): DraftOrderSyncEvent {
  return syncEvent(record, 'SKIPPED', { reason: `${COALESCED_REASON} (${newer.version})` }, occurredAt);
}
