// Matching the variants of two stores (pure). A key shared by several variants on either
// side is ambiguous and reported, never guessed; variants without a key, or whose key the
// source does not have, are unmatched.
import type { VariantMatchMode } from '../domain/connection.js';
import { matchKeyOf, type VariantKeys } from '../domain/product.js';

export interface AmbiguousKey {
  readonly key: string;
  readonly destination: readonly string[];
  readonly source: readonly string[];
}

export interface MatchResult {
  /** Destination variant id → source variant id. */
  readonly mappings: Map<string, string>;
  readonly ambiguous: AmbiguousKey[];
  /** Destination variant ids with no (or an empty) key, or a key the source lacks. */
  readonly unmatched: string[];
}

/** Variant ids per match key, ids in first-seen order; keyless variants returned apart. */
export function groupByKey(
  variants: Iterable<VariantKeys>,
  mode: VariantMatchMode,
): { byKey: Map<string, string[]>; keyless: string[] } {
  const byKey = new Map<string, string[]>();
  const keyless: string[] = [];
  const seen = new Set<string>();
  for (const variant of variants) {
    if (seen.has(variant.variantId)) continue; // pages may overlap; a variant counts once
    seen.add(variant.variantId);
    const key = matchKeyOf(variant, mode);
    if (key === null) {
      keyless.push(variant.variantId);
      continue;
    }
    const ids = byKey.get(key);
    if (ids) ids.push(variant.variantId);
    else byKey.set(key, [variant.variantId]);
  }
  return { byKey, keyless };
}

/** The mapping decision for one key given the variants on both sides. */
export function decideKey(
  destination: readonly string[],
  source: readonly string[],
): { kind: 'mapped'; destination: string; source: string } | { kind: 'ambiguous' } | { kind: 'unmatched' } {
  if (destination.length === 0 || source.length === 0) return { kind: 'unmatched' };
  if (destination.length === 1 && source.length === 1) {
    return { kind: 'mapped', destination: destination[0]!, source: source[0]! };
  }
  return { kind: 'ambiguous' };
}

export function matchVariants(
  destination: Iterable<VariantKeys>,
  source: Iterable<VariantKeys>,
  mode: VariantMatchMode,
): MatchResult {
  const dest = groupByKey(destination, mode);
  const src = groupByKey(source, mode);
  const mappings = new Map<string, string>();
  const ambiguous: AmbiguousKey[] = [];
  const unmatched = [...dest.keyless];
  for (const [key, destIds] of dest.byKey) {
    const srcIds = src.byKey.get(key) ?? [];
    const decision = decideKey(destIds, srcIds);
    if (decision.kind === 'mapped') mappings.set(decision.destination, decision.source);
    else if (decision.kind === 'ambiguous') ambiguous.push({ key, destination: destIds, source: srcIds });
    else unmatched.push(...destIds);
  }
  return { mappings, ambiguous, unmatched };
}

/** What the store keeps of one side so product webhooks can update mappings incrementally. */
export interface SideCatalog {
  /** Match key → variant ids. */
  readonly index: Map<string, string[]>;
  /** Variant id → its match key (null: none). */
  readonly keys: Map<string, string | null>;
  /** Product id → its variant ids. */
  readonly products: Map<string, string[]>;
}

export function catalogOf(variants: Iterable<VariantKeys>, mode: VariantMatchMode): SideCatalog {
  const list = [...variants];
  const keys = new Map<string, string | null>();
  const products = new Map<string, string[]>();
  for (const variant of list) {
    if (keys.has(variant.variantId)) continue;
    keys.set(variant.variantId, matchKeyOf(variant, mode));
    if (variant.productId !== null) {
      const ids = products.get(variant.productId);
      if (ids) ids.push(variant.variantId);
      else products.set(variant.productId, [variant.variantId]);
    }
  }
  return { index: groupByKey(list, mode).byKey, keys, products };
}
