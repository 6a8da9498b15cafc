// Product mappings: matching (pure), incremental product changes (pure), Admin API variant
// listing, and the Redis store the mapper reads.
export { catalogOf, decideKey, groupByKey, matchVariants, type AmbiguousKey, type MatchResult, type SideCatalog } from './build.js';
export {
  fetchAllVariants,
  PRODUCT_VARIANTS_QUERY,
  VARIANTS_PAGE_SIZE,
  VariantFetchError,
  type GraphqlRequest,
  type VariantFetchProgress,
} from './fetch-variants.js';
export { connectionKeys, type ConnectionKeys } from './keys.js';
export {
  affectedKeys,
  applyProductChange,
  productChangeTargets,
  type ProductChangeInput,
  type ProductChangePlan,
  type StoreSide,
} from './product-change.js';
export { rebuildConnectionMappings, type RebuildInput } from './rebuild.js';
export { RedisMappingStore, type LookupRequest, type LookupResult, type MappingReport, type ReplaceOptions } from './store.js';
