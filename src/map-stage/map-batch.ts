// One consumed batch, from plans to the records to produce, in phases so that the CPU-bound
// ones can run on a worker thread (see workers/) while the I/O stays on the consumer's thread:
//   summarise (pure)    what each plan needs: product change, variants to look up, nothing;
//   prepareLookup (I/O) product changes applied to the mapping store, one variant lookup;
//   encodeMapped (pure) mapDraft for each record, encoded;
//   finishBatch (I/O)   unmapped variants remembered in one round trip, dead letters encoded.
// mapBatch runs all four in-process (replay uses it).
import type { Message } from 'kafkajs';
import type { ConnectionSettings } from '../domain/connection.js';
import { mapDraft } from '../domain/map-draft.js';
import type { MappedDraftOrder } from '../domain/model.js';
import type { VariantKeys } from '../domain/product.js';
import type { LookupRequest, LookupResult, RedisMappingStore, StoreSide } from '../variant-mappings/index.js';
import { deadLetterFor, type DeadLetter, type SourceRecord } from '../contracts/dead-letter.js';
import type { TopicCodec } from '../shared/registry/schemas.js';
import { unpackBuffers, type PackedBuffers } from '../shared/registry/wire-format.js';
import type { DeadLetterClass, RecordPlan } from './record-plan.js';
import type { BatchLookup, LookupOutcome } from './variant-lookup.js';

export interface PlannedRecord {
  readonly record: SourceRecord;
  /** The Shopify topic, for metrics ("" when the value could not be decoded). */
  readonly shopifyTopic: string;
  readonly plan: RecordPlan;
}

/** What the I/O phases need of a plan: plain data, so it crosses to and from worker threads. */
export type PlanSummary =
  | { readonly kind: 'dead'; readonly shopifyTopic: string; readonly class: DeadLetterClass; readonly reason: string }
  | {
      readonly kind: 'product';
      readonly shopifyTopic: string;
      readonly productId: string;
      readonly variants: readonly VariantKeys[];
      readonly targets: readonly { readonly connection: ConnectionSettings; readonly side: StoreSide }[];
    }
  /** A draft/order/delete to map; `variantIds` are the ones to look up (none when settings skip it). */
  | { readonly kind: 'map'; readonly shopifyTopic: string; readonly connectionId: string; readonly variantIds: readonly string[] };

/** The fields of a mapped record the consumer's thread needs (metrics, unmapped, replay). */
export type MappedSummary = Pick<MappedDraftOrder, 'key' | 'version' | 'action' | 'skipReason' | 'connectionId' | 'missingVariants'>;

/** What became of one record in encodeMapped; null for dead and product plans. */
export type EncodedRecord = { readonly kind: 'mapped'; readonly mapped: MappedSummary } | { readonly kind: 'encode_failed'; readonly reason: string } | null;

export interface EncodedBatch {
  readonly records: readonly EncodedRecord[];
  /** The mapped records' values, in record order, in one buffer (it crosses threads as is). */
  readonly values: PackedBuffers;
}

export interface MapBatchDeps {
  readonly store: RedisMappingStore;
  readonly lookup: BatchLookup;
  readonly mappedCodec: TopicCodec<MappedDraftOrder>;
  readonly deadLetterCodec: TopicCodec<DeadLetter>;
  /** Raw and mapped topics have as many partitions: outputs keep their input's partition. */
  readonly coPartitioned: boolean;
  /** Headers of a mapped record made from `record` (the trace context); absent: none. */
  readonly headersOf?: (record: SourceRecord, mapped: MappedSummary) => Record<string, string>;
}

export type LookupDeps = Pick<MapBatchDeps, 'store' | 'lookup'>;
export type FinishDeps = Pick<MapBatchDeps, 'store' | 'deadLetterCodec' | 'coPartitioned' | 'headersOf'>;

export interface BatchOutput {
  readonly mapped: Message[];
  readonly deadLetters: Message[];
  /** Per record, for metrics once the transaction committed. */
  readonly outcomes: readonly RecordOutcomeDetail[];
  readonly lookupRoundTrips: number;
  readonly lookupVariants: number;
}

export type RecordOutcomeDetail =
  | { readonly kind: 'mapped'; readonly shopifyTopic: string; readonly mapped: MappedSummary }
  | { readonly kind: 'product_change'; readonly shopifyTopic: string }
  | { readonly kind: 'dead_lettered'; readonly shopifyTopic: string; readonly class: DeadLetterClass };

export async function mapBatch(records: readonly PlannedRecord[], deps: MapBatchDeps): Promise<BatchOutput> {
  const summaries = records.map(({ plan, shopifyTopic }) => summarise(plan, shopifyTopic));
  const lookup = await prepareLookup(summaries, deps);
  const encoded = encodeMapped(records, lookup.result, deps.mappedCodec);
  return finishBatch(
    records.map(({ record }) => record),
    summaries,
    encoded,
    lookup,
    deps,
  );
}

export function summarise(plan: RecordPlan, shopifyTopic: string): PlanSummary {
  switch (plan.kind) {
    case 'dead':
      return { kind: 'dead', shopifyTopic, class: plan.class, reason: plan.reason };
    case 'product':
      return { kind: 'product', shopifyTopic, productId: plan.productId, variants: plan.variants, targets: plan.targets };
    case 'emit':
      return { kind: 'map', shopifyTopic, connectionId: plan.mapped.connectionId, variantIds: [] };
    case 'map':
      return { kind: 'map', shopifyTopic, connectionId: plan.connection.id, variantIds: needsLookup(plan) ? variantIdsOf(plan) : [] };
  }
}

/** Product changes in offset order (the store runs them one at a time), then one batch lookup. */
export async function prepareLookup(summaries: readonly PlanSummary[], deps: LookupDeps): Promise<LookupOutcome> {
  for (const summary of summaries) {
    if (summary.kind !== 'product') continue;
    for (const { connection, side } of summary.targets) {
      await deps.store.applyProductChange(connection, side, { productId: summary.productId, variants: summary.variants });
    }
  }
  const requests: LookupRequest[] = [];
  for (const summary of summaries) {
    if (summary.kind === 'map' && summary.variantIds.length > 0) requests.push({ connectionId: summary.connectionId, variantIds: summary.variantIds });
  }
  return requests.length > 0 ? deps.lookup(requests) : { result: new Map(), roundTrips: 0, variants: 0 };
}

/** Pure CPU: each map/emit plan decided with the lookup's result and encoded. */
export function encodeMapped(records: readonly Pick<PlannedRecord, 'plan'>[], lookup: LookupResult, codec: TopicCodec<MappedDraftOrder>): EncodedBatch {
  const values = codec.batch();
  const encoded = records.map(({ plan }): EncodedRecord => {
    let mapped: MappedDraftOrder;
    if (plan.kind === 'emit') mapped = plan.mapped;
    else if (plan.kind === 'map') mapped = mapDraft(plan.canonical, plan.connection, lookup.get(plan.connection.id) ?? EMPTY, plan.ctx);
    else return null;
    try {
      values.append(mapped);
    } catch (error) {
      return { kind: 'encode_failed', reason: `MappedDraftOrder encode: ${error instanceof Error ? error.message : String(error)}` };
    }
    const { key, version, action, skipReason, connectionId, missingVariants } = mapped;
    return { kind: 'mapped', mapped: { key, version, action, skipReason, connectionId, missingVariants } };
  });
  return { records: encoded, values: values.packed() };
}

/** The records to produce and each record's outcome, in input order. */
export async function finishBatch(
  records: readonly SourceRecord[],
  summaries: readonly PlanSummary[],
  encoded: EncodedBatch,
  lookup: LookupOutcome,
  deps: FinishDeps,
): Promise<BatchOutput> {
  const unmapped = unmappedRequests(encoded.records);
  if (unmapped.length > 0) await deps.store.recordUnmapped(unmapped);

  const mapped: Message[] = [];
  const deadLetters: Message[] = [];
  const outcomes: RecordOutcomeDetail[] = [];
  const bury = (record: SourceRecord, shopifyTopic: string, cls: DeadLetterClass, reason: string): void => {
    // Deterministic id: a redone batch produces the same letter (only one transaction commits).
    const letter = deadLetterFor('mapper', record, reason);
    deadLetters.push({ key: letter.key ?? letter.id, value: deps.deadLetterCodec.encode(letter) });
    outcomes.push({ kind: 'dead_lettered', shopifyTopic, class: cls });
  };

  const values = unpackBuffers(encoded.values);
  let nextValue = 0;
  for (let i = 0; i < summaries.length; i++) {
    const summary = summaries[i]!;
    const record = records[i]!;
    const result = encoded.records[i];
    if (summary.kind === 'dead') bury(record, summary.shopifyTopic, summary.class, summary.reason);
    else if (summary.kind === 'product') outcomes.push({ kind: 'product_change', shopifyTopic: summary.shopifyTopic });
    else if (result?.kind === 'encode_failed') bury(record, summary.shopifyTopic, 'encode', result.reason);
    else if (result?.kind === 'mapped') {
      // Keyed like the input, so the writer sees one record's changes in order.
      const partition = deps.coPartitioned ? { partition: record.partition } : {};
      const headers = deps.headersOf?.(record, result.mapped);
      mapped.push({ key: record.key ?? result.mapped.key, value: values[nextValue++]!, ...partition, ...(headers ? { headers } : {}) });
      outcomes.push({ kind: 'mapped', shopifyTopic: summary.shopifyTopic, mapped: result.mapped });
    }
  }
  return { mapped, deadLetters, outcomes, lookupRoundTrips: lookup.roundTrips + (unmapped.length > 0 ? 1 : 0), lookupVariants: lookup.variants };
}

const EMPTY: ReadonlyMap<string, string> = new Map();

/** Records the settings skip anyway need no lookup (mapDraft decides them without one). */
function needsLookup(plan: Extract<RecordPlan, { kind: 'map' }>): boolean {
  const { connection, canonical } = plan;
  if (!connection.draftOrderSync) return false;
  if (canonical.origin.kind === 'order' && !connection.orderTrigger) return false;
  return canonical.lines.some((line) => line.variantId !== null);
}

function variantIdsOf(plan: Extract<RecordPlan, { kind: 'map' }>): string[] {
  const ids: string[] = [];
  for (const line of plan.canonical.lines) if (line.variantId !== null) ids.push(line.variantId);
  return ids;
}

function unmappedRequests(encoded: readonly EncodedRecord[]): LookupRequest[] {
  const byConnection = new Map<string, Set<string>>();
  for (const result of encoded) {
    if (result?.kind !== 'mapped' || result.mapped.missingVariants.length === 0) continue;
    const { connectionId, missingVariants } = result.mapped;
    const ids = byConnection.get(connectionId) ?? new Set<string>();
    for (const id of missingVariants) ids.add(id);
    byConnection.set(connectionId, ids);
  }
  return [...byConnection].map(([connectionId, ids]) => ({ connectionId, variantIds: [...ids] }));
}
