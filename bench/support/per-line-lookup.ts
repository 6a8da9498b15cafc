// The benchmark's baseline lookup: one awaited Redis HGET per line, the design the mapper avoids.
import type { LookupResult, RedisMappingStore } from '../../src/variant-mappings/index.js';
import type { BatchLookup } from '../../src/map-stage/variant-lookup.js';

export function perLineLookup(store: RedisMappingStore): BatchLookup {
  return async (requests) => {
    const result: LookupResult = new Map();
    let roundTrips = 0;
    for (const { connectionId, variantIds } of requests) {
      const found = result.get(connectionId) ?? new Map<string, string>();
      result.set(connectionId, found);
      for (const variantId of variantIds) {
        const source = await store.get(connectionId, variantId);
        roundTrips++;
        if (source !== null) found.set(variantId, source);
      }
    }
    return { result, roundTrips, variants: roundTrips };
  };
}
