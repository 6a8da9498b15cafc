// Rebuilds one connection's mappings from both stores' current variants: read (paged,
// with progress), match, replace atomically. The requesters are injected.
import type { VariantMatchMode } from '../domain/connection.js';
import { catalogOf, matchVariants, type MatchResult } from './build.js';
import { fetchAllVariants, type GraphqlRequest, type VariantFetchProgress } from './fetch-variants.js';
import type { StoreSide } from './product-change.js';
import type { MappingReport, RedisMappingStore } from './store.js';

export interface RebuildInput {
  readonly connection: { readonly id: string; readonly variantMatch: VariantMatchMode };
  readonly source: GraphqlRequest;
  readonly destination: GraphqlRequest;
  readonly store: RedisMappingStore;
  readonly onProgress?: (side: StoreSide, progress: VariantFetchProgress) => void;
  readonly now?: () => Date;
}

export async function rebuildConnectionMappings(input: RebuildInput): Promise<MatchResult & { report: MappingReport }> {
  const mode = input.connection.variantMatch;
  // Sequential: the two stores have separate API budgets, but progress reads better one at a time.
  const destination = await fetchAllVariants(input.destination, { onProgress: (p) => input.onProgress?.('destination', p) });
  const source = await fetchAllVariants(input.source, { onProgress: (p) => input.onProgress?.('source', p) });
  const result = matchVariants(destination, source, mode);
  const report: MappingReport = {
    builtAt: (input.now?.() ?? new Date()).toISOString(),
    matchBy: mode,
    mapped: result.mappings.size,
    unmatched: result.unmatched,
    ambiguous: result.ambiguous,
  };
  await input.store.replaceAll(input.connection.id, result.mappings, {
    catalogs: { source: catalogOf(source, mode), destination: catalogOf(destination, mode) },
    report,
  });
  return { ...result, report };
}
