// The variant lookup of a whole consumed batch. The service uses one pipelined round trip
// (RedisMappingStore.lookupMany); the benchmark passes a per-line baseline through the same seam.
import { collectLookupRequests } from '../../../src/domain/map-draft.js';
import type { CanonicalDraft } from '../../../src/domain/model.js';
import type { LookupResult, RedisMappingStore } from '../../../src/mapping/index.js';

export interface LookupItem {
  readonly canonical: CanonicalDraft;
  readonly connectionId: string;
}

export interface LookupOutcome {
  readonly result: LookupResult;
  /** Redis round trips spent. */
  readonly roundTrips: number;
  /** Variant ids asked for. */
  readonly variants: number;
}

export type BatchLookup = (items: readonly LookupItem[]) => Promise<LookupOutcome>;

/** Every variant of every line of the batch, unique per connection, in one pipeline. */
export function batchedLookup(store: RedisMappingStore): BatchLookup {
  return async (items) => {
    const requests = collectLookupRequests(items);
    const variants = requests.reduce((n, r) => n + r.variantIds.length, 0);
    if (variants === 0) return { result: new Map(), roundTrips: 0, variants };
    return { result: await store.lookupMany(requests), roundTrips: 1, variants };
  };
}
