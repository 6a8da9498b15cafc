// The facts `explain` gathers about one origin record, and the pure steps that relate them:
// which raw records repeat a version, which mapped record came from which raw record, which
// writer event answers which mapped record (by recomputing its deterministic event id).
import type { EnvelopeSource, RawWebhookEnvelope } from '../contracts/raw-envelope.js';
import { syncEvent, type DraftOrderSyncEvent, type SyncOutcome } from '../contracts/sync-event.js';
import type { PipelineStage } from '../contracts/dead-letter.js';
import type { UnmappedPolicy } from '../domain/connection.js';
import type { MappedAction, MappedDraftOrder, OriginKind, RecordSource, SkipReason } from '../domain/model.js';
import { compareVersions } from '../domain/versions.js';
import type { LinkStatus } from '../links/link.js';

/** How a raw record's version relates to the records before it. */
export type Repeat = 'new' | 'duplicate' | 'older';

export interface RawFact {
  readonly partition: number;
  readonly offset: string;
  /** When it reached the raw topic (the record's timestamp): what `replay --from` compares. */
  readonly at: string;
  readonly receivedAt: string;
  readonly source: EnvelopeSource;
  /** The Shopify topic, e.g. `draft_orders/update`. */
  readonly topic: string;
  readonly rawId: string;
  /** The body's updated_at / updatedAt, or a delete's time; null when unreadable. */
  readonly version: string | null;
  readonly name: string | null;
  /** `duplicate`: an earlier record had this version; `older`: an earlier one was newer. Null without a version. */
  readonly repeat: Repeat | null;
}

export interface MissingVariant {
  readonly id: string;
  /** The source variant it maps to now; null while still unmapped. */
  readonly mappedNow: string | null;
}

export interface MappedFact {
  readonly offset: string;
  readonly at: string;
  readonly rawId: string;
  readonly recordSource: RecordSource;
  readonly force: boolean;
  readonly action: MappedAction;
  readonly version: string;
  readonly skipReason: SkipReason | null;
  readonly missingVariants: readonly MissingVariant[];
  /** Offset of the raw record it was made from (replays and redrives included), if in view. */
  readonly of: string | null;
  /** The mapper's own output for that raw record (not a replay or writer redrive). */
  readonly direct: boolean;
}

export interface EventFact {
  readonly offset: string;
  readonly at: string;
  readonly eventId: string;
  readonly outcome: SyncOutcome;
  readonly reason: string | null;
  readonly version: string;
  readonly recordSource: RecordSource;
  readonly sourceDraftId: string | null;
  readonly sourceDraftName: string | null;
  /** The mapped record it answers, if in view. */
  readonly mappedOffset: string | null;
}

export interface DeadLetterFact {
  readonly id: string;
  readonly stage: PipelineStage;
  readonly reason: string;
  readonly failedAt: string;
  readonly originTopic: string;
  readonly originOffset: string;
  /** The version of the record it holds, when readable. */
  readonly version: string | null;
  readonly redriven: { readonly at: string; readonly to: string } | null;
}

export interface LinkFact {
  readonly sourceDraftId: string | null;
  readonly sourceDraftName: string | null;
  readonly appliedVersion: string | null;
  readonly status: LinkStatus;
  readonly invoiceSent: boolean;
  /** Set while a create's outcome is unknown (the writer searches by sync tag next time). */
  readonly createIntentAt: string | null;
}

export type SourceCopyFact =
  | {
      readonly state: 'found';
      readonly lookedUpBy: 'id' | 'tag';
      readonly id: string;
      readonly name: string;
      readonly status: string;
      readonly updatedAt: string;
    }
  | { readonly state: 'missing'; readonly lookedUpBy: 'id' | 'tag' }
  /** The source store could not be asked; the rest of the story stands. */
  | { readonly state: 'unknown'; readonly reason: string };

/** The destination's own record, when it was asked (name lookups; ids when nothing was received). */
export type DestinationFact =
  | { readonly state: 'found'; readonly id: string; readonly name: string; readonly updatedAt: string; readonly status: string | null }
  | { readonly state: 'missing' };

export interface ExplainFacts {
  readonly shop: string;
  readonly kind: OriginKind;
  readonly id: string;
  readonly key: string;
  readonly name: string | null;
  readonly connectionId: string;
  readonly sourceShop: string;
  /** The connection's policy for lines without a mapping (a synced copy may lack them). */
  readonly unmappedPolicy: UnmappedPolicy;
  /** Whether the connection syncs orders at all (else no order is ever received). */
  readonly orderTrigger: boolean;
  /** ISO time `--since` started the topic reads at; null: whole history. */
  readonly since: string | null;
  readonly partitions: { readonly raw: number; readonly mapped: number; readonly events: number };
  readonly destination: DestinationFact | null;
  /** Each list oldest first (offset order). */
  readonly raw: readonly RawFact[];
  readonly mapped: readonly MappedFact[];
  readonly events: readonly EventFact[];
  readonly deadLetters: readonly DeadLetterFact[];
  readonly link: LinkFact | null;
  readonly sourceCopy: SourceCopyFact;
}

/** A record as read from its topic partition. */
export interface KeyRecord<T> {
  readonly partition: number;
  readonly offset: string;
  /** Record timestamp, epoch ms. */
  readonly timestamp: number;
  readonly value: T;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Raw records in offset order, each compared with the versions before it. */
export function rawFacts(records: readonly KeyRecord<RawWebhookEnvelope>[], version: (e: RawWebhookEnvelope) => string | null, name: (e: RawWebhookEnvelope) => string | null): RawFact[] {
  const seen: string[] = [];
  return records.map(({ partition, offset, timestamp, value: envelope }) => {
    const v = version(envelope);
    const repeat = v === null ? null : repeatOf(v, seen);
    if (v !== null) seen.push(v);
    return {
      partition,
      offset,
      at: iso(timestamp),
      receivedAt: iso(Number(envelope.receivedAt)),
      source: envelope.source,
      topic: envelope.topic,
      rawId: envelope.id,
      version: v,
      name: name(envelope),
      repeat,
    };
  });
}

export function repeatOf(version: string, earlier: readonly string[]): Repeat {
  if (earlier.some((e) => compareVersions(e, version) === 0)) return 'duplicate';
  if (earlier.some((e) => compareVersions(e, version) > 0)) return 'older';
  return 'new';
}

/** What the mapper's output says for each source of raw record (replays and redrives carry their own). */
const DIRECT_SOURCE: Record<EnvelopeSource, RecordSource> = { webhook: 'webhook', backfill: 'backfill', reconcile: 'reconcile', redrive: 'redrive' };

/**
 * Mapped records, each tied to the raw record it came from: the mapper's output carries the
 * envelope id as rawId (a replay `replay:<id>`). A retried webhook keeps its id, so records
 * sharing one are paired in order.
 */
export function mappedFacts(records: readonly KeyRecord<MappedDraftOrder>[], raw: readonly RawFact[], mappedNow: ReadonlyMap<string, string>): MappedFact[] {
  const taken = new Set<string>();
  return records.map(({ offset, timestamp, value: m }) => {
    const replayed = m.rawId.startsWith('replay:');
    const rawId = replayed ? m.rawId.slice('replay:'.length) : m.rawId;
    const sameId = raw.filter((r) => r.rawId === rawId);
    const directOf = replayed ? undefined : sameId.find((r) => !taken.has(r.offset) && DIRECT_SOURCE[r.source] === m.recordSource);
    if (directOf) taken.add(directOf.offset);
    const of = directOf ?? sameId[0];
    return {
      offset,
      at: iso(timestamp),
      rawId: m.rawId,
      recordSource: m.recordSource,
      force: m.force,
      action: m.action,
      version: m.version,
      skipReason: m.skipReason,
      missingVariants: m.missingVariants.map((id) => ({ id, mappedNow: mappedNow.get(id) ?? null })),
      of: of?.offset ?? null,
      direct: directOf !== undefined,
    };
  });
}

const OUTCOMES: readonly SyncOutcome[] = ['CREATED', 'UPDATED', 'RECREATED', 'DELETED', 'COMPLETED', 'SKIPPED', 'INVOICE_SENT', 'INVOICE_SKIPPED', 'FAILED'];
const EPOCH = new Date(0);

/** Events in offset order, each tied to the mapped record whose event id it carries; repeats (a re-publish after a crash) dropped. */
export function eventFacts(records: readonly KeyRecord<DraftOrderSyncEvent>[], mapped: readonly KeyRecord<MappedDraftOrder>[]): EventFact[] {
  const answers = new Map<string, string>();
  for (const { offset, value } of mapped) {
    for (const outcome of OUTCOMES) {
      const id = syncEvent(value, outcome, {}, EPOCH).eventId;
      if (!answers.has(id)) answers.set(id, offset);
    }
  }
  const seen = new Set<string>();
  const facts: EventFact[] = [];
  for (const { offset, timestamp, value: e } of records) {
    if (seen.has(e.eventId)) continue;
    seen.add(e.eventId);
    facts.push({
      offset,
      at: iso(timestamp),
      eventId: e.eventId,
      outcome: e.outcome,
      reason: e.reason,
      version: e.version,
      recordSource: e.recordSource,
      sourceDraftId: e.sourceDraftId,
      sourceDraftName: e.sourceDraftName,
      mappedOffset: answers.get(e.eventId) ?? null,
    });
  }
  return facts;
}
