// The variant lookup of a whole consumed batch. The service uses one pipelined round trip
// (RedisMappingStore.lookupMany); the benchmark passes a per-line baseline through the same seam.
import { mergeLookupRequests } from '../domain/map-draft.js';
import type { LookupRequest, LookupResult, RedisMappingStore } from '../variant-mappings/index.js';

export interface LookupOutcome {
  readonly result: LookupResult;
  /** Redis round trips spent. */
  readonly roundTrips: number;
  /** Variant ids asked for. */
  readonly variants: number;
}

/** One request per record (its lines' variant ids, in line order). */
export type BatchLookup = (requests: readonly LookupRequest[]) => Promise<LookupOutcome>;

/** Every variant of every line of the batch, unique per connection, in one pipeline. */
export function batchedLookup(store: RedisMappingStore): BatchLookup {
  return async (requests) => {
    const merged = mergeLookupRequests(requests);
    const variants = merged.reduce((n, r) => n + r.variantIds.length, 0);
    if (variants === 0) return { result: new Map(), roundTrips: 0, variants };
    return { result: await store.lookupMany(merged), roundTrips: 1, variants };
  };
}
