// One consumed batch, from decoded plans to the records to produce: product changes applied
// to the mapping store, one variant lookup for the whole batch, mapDraft for each record,
// unmapped variants remembered in one round trip, everything encoded.
import type { Message } from 'kafkajs';
import { mapDraft } from '../../../src/domain/map-draft.js';
import { toAvro, type AvroMappedDraftOrder } from '../../../src/domain/mapped-avro.js';
import type { MappedDraftOrder } from '../../../src/domain/model.js';
import type { LookupRequest, RedisMappingStore } from '../../../src/mapping/index.js';
import type { DeadLetter } from '../../../src/shared/dead-letter.js';
import type { TopicCodec } from '../../../src/shared/registry/schemas.js';
import { mapperDeadLetter, type RecordCoordinates } from './dead-letters.js';
import type { DeadLetterClass, RecordPlan } from './record-plan.js';
import type { KeyedSerializer } from './serial.js';
import type { BatchLookup, LookupItem, LookupOutcome } from './variant-lookup.js';

export interface PlannedRecord {
  readonly record: RecordCoordinates;
  /** The Shopify topic, for metrics ("" when the value could not be decoded). */
  readonly shopifyTopic: string;
  readonly plan: RecordPlan;
}

export interface MapBatchDeps {
  readonly store: RedisMappingStore;
  readonly lookup: BatchLookup;
  readonly productChanges: KeyedSerializer;
  readonly mappedCodec: TopicCodec<AvroMappedDraftOrder>;
  readonly deadLetterCodec: TopicCodec<DeadLetter>;
}

export interface BatchOutput {
  readonly mapped: Message[];
  readonly deadLetters: Message[];
  /** Per record, for metrics once the transaction committed. */
  readonly outcomes: readonly RecordOutcomeDetail[];
  readonly lookupRoundTrips: number;
  readonly lookupVariants: number;
}

export type RecordOutcomeDetail =
  | { readonly kind: 'mapped'; readonly shopifyTopic: string; readonly mapped: MappedDraftOrder }
  | { readonly kind: 'product_change'; readonly shopifyTopic: string }
  | { readonly kind: 'dead_lettered'; readonly shopifyTopic: string; readonly class: DeadLetterClass };

export async function mapBatch(records: readonly PlannedRecord[], deps: MapBatchDeps): Promise<BatchOutput> {
  await applyProductChanges(records, deps);

  const toLookUp: LookupItem[] = [];
  for (const { plan } of records) {
    if (plan.kind === 'map' && needsLookup(plan)) toLookUp.push({ canonical: plan.canonical, connectionId: plan.connection.id });
  }
  const lookup: LookupOutcome = toLookUp.length > 0 ? await deps.lookup(toLookUp) : { result: new Map(), roundTrips: 0, variants: 0 };

  const decided: (MappedDraftOrder | null)[] = records.map(({ plan }) => {
    if (plan.kind === 'emit') return plan.mapped;
    if (plan.kind !== 'map') return null;
    return mapDraft(plan.canonical, plan.connection, lookup.result.get(plan.connection.id) ?? EMPTY, plan.ctx);
  });
  const unmapped = unmappedRequests(decided);
  if (unmapped.length > 0) await deps.store.recordUnmapped(unmapped);

  const mapped: Message[] = [];
  const deadLetters: Message[] = [];
  const outcomes: RecordOutcomeDetail[] = [];
  const bury = async (record: RecordCoordinates, shopifyTopic: string, cls: DeadLetterClass, reason: string): Promise<void> => {
    const letter = mapperDeadLetter(record, reason);
    deadLetters.push({ key: letter.key ?? letter.id, value: await deps.deadLetterCodec.encode(letter) });
    outcomes.push({ kind: 'dead_lettered', shopifyTopic, class: cls });
  };

  for (let i = 0; i < records.length; i++) {
    const { record, shopifyTopic, plan } = records[i]!;
    const result = decided[i];
    if (plan.kind === 'dead') {
      await bury(record, shopifyTopic, plan.class, plan.reason);
    } else if (plan.kind === 'product') {
      outcomes.push({ kind: 'product_change', shopifyTopic });
    } else if (result) {
      let value: Buffer;
      try {
        value = await deps.mappedCodec.encode(toAvro(result));
      } catch (error) {
        await bury(record, shopifyTopic, 'encode', `MappedDraftOrder encode: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      // Keyed like the input, so the writer sees one record's changes in order.
      mapped.push({ key: record.key ?? result.key, value });
      outcomes.push({ kind: 'mapped', shopifyTopic, mapped: result });
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

function unmappedRequests(decided: readonly (MappedDraftOrder | null)[]): LookupRequest[] {
  const byConnection = new Map<string, Set<string>>();
  for (const mapped of decided) {
    if (!mapped || mapped.missingVariants.length === 0) continue;
    const ids = byConnection.get(mapped.connectionId) ?? new Set<string>();
    for (const id of mapped.missingVariants) ids.add(id);
    byConnection.set(mapped.connectionId, ids);
  }
  return [...byConnection].map(([connectionId, ids]) => ({ connectionId, variantIds: [...ids] }));
}

/** In offset order; per connection one at a time across concurrently consumed partitions. */
async function applyProductChanges(records: readonly PlannedRecord[], deps: MapBatchDeps): Promise<void> {
  for (const { plan } of records) {
    if (plan.kind !== 'product') continue;
    for (const { connection, side } of plan.targets) {
      await deps.productChanges.run(connection.id, () =>
        deps.store.applyProductChange(connection, side, { productId: plan.productId, variants: plan.variants }),
      );
    }
  }
}
