// The sync-events topic's value (schemas/draft-order-sync-event.avsc): every outcome of the
// writer, the contract for internal services. Event ids are derived from the input record and
// the outcome, so a replayed record yields the same ids (consumers can dedupe).
import { createHash } from 'node:crypto';
import type { MappedDraftOrder, OriginRef, RecordSource, VersionClock } from '../domain/model.js';
import { fail, ok } from '../domain/result.js';
import { asIs, isRecord, type TopicContract } from './topic-contract.js';

export type SyncOutcome =
  | 'CREATED'
  | 'UPDATED'
  | 'RECREATED'
  | 'DELETED'
  | 'COMPLETED'
  | 'SKIPPED'
  | 'INVOICE_SENT'
  | 'INVOICE_SKIPPED'
  | 'FAILED';

/** Mirrors schemas/draft-order-sync-event.avsc. */
export interface DraftOrderSyncEvent {
  readonly eventId: string;
  readonly key: string;
  readonly origin: OriginRef;
  readonly connectionId: string;
  readonly sourceShop: string;
  readonly outcome: SyncOutcome;
  /** Why: skip reason, failure message, invoice-skip reason; null when self-evident. */
  readonly reason: string | null;
  readonly sourceDraftId: string | null;
  readonly sourceDraftName: string | null;
  readonly version: string;
  readonly missingVariants: readonly string[];
  /** ISO-8601 time the writer decided this outcome. */
  readonly occurredAt: string;
  readonly recordSource: RecordSource;
  /** Where `version` came from. */
  readonly versionClock: VersionClock;
}

export const syncEventContract: TopicContract<DraftOrderSyncEvent> = {
  topic: 'events',
  schemaFile: 'draft-order-sync-event.avsc',
  recordType: 'DraftOrderSyncEvent',
  read: (decoded) => {
    if (!isRecord(decoded) || typeof decoded.eventId !== 'string' || typeof decoded.key !== 'string' || typeof decoded.outcome !== 'string' || !isRecord(decoded.origin)) {
      return fail('value: decoded record is not a DraftOrderSyncEvent');
    }
    return ok(decoded as unknown as DraftOrderSyncEvent);
  },
  write: asIs,
};

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
    versionClock: record.versionClock,
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
