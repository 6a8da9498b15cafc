// Incremental mapping updates from a products/create|update|delete webhook (pure).
// The changed product's variants are re-indexed on their side, and every match key they
// had or now have is decided again exactly as a full build would decide it.
import type { VariantMatchMode } from '../domain/connection.js';
import { matchKeyOf, type VariantKeys } from '../domain/product.js';
import { decideKey, type AmbiguousKey } from './build.js';

export type StoreSide = 'source' | 'destination';

export interface ProductChangeInput {
  readonly side: StoreSide;
  readonly mode: VariantMatchMode;
  readonly productId: string;
  /** The product's variants now; empty when it was deleted. */
  readonly variants: readonly VariantKeys[];
  /** The product's variants as last indexed: variant id → match key. */
  readonly previous: ReadonlyMap<string, string | null>;
  /** Current index entries (key → variant ids) of `affectedKeys(...)` on the changed side. */
  readonly sameSide: ReadonlyMap<string, readonly string[]>;
  /** The same keys' entries on the other side. */
  readonly otherSide: ReadonlyMap<string, readonly string[]>;
}

export interface ProductChangePlan {
  readonly side: StoreSide;
  readonly productId: string;
  /** The product's variant ids to record (empty: forget the product). */
  readonly productVariants: readonly string[];
  readonly catalogSet: readonly (readonly [variantId: string, key: string | null])[];
  readonly catalogRemove: readonly string[];
  /** Index entries of the changed side to write; empty lists are removals. */
  readonly indexSet: readonly (readonly [key: string, ids: readonly string[]])[];
  readonly indexRemove: readonly string[];
  /** Built mappings to set / remove (the store keeps hand-set ones). */
  readonly mappingSet: readonly (readonly [destination: string, source: string])[];
  readonly mappingRemove: readonly string[];
  readonly ambiguous: readonly AmbiguousKey[];
}

/** Keys whose index entries the planner needs: the product's old and new keys. */
export function affectedKeys(
  variants: readonly VariantKeys[],
  previous: ReadonlyMap<string, string | null>,
  mode: VariantMatchMode,
): string[] {
  const keys = new Set<string>();
  for (const key of previous.values()) if (key !== null) keys.add(key);
  for (const variant of variants) {
    const key = matchKeyOf(variant, mode);
    if (key !== null) keys.add(key);
  }
  return [...keys].sort();
}

export function applyProductChange(input: ProductChangeInput): ProductChangePlan {
  const nowKeys = new Map<string, string | null>();
  for (const variant of input.variants) nowKeys.set(variant.variantId, matchKeyOf(variant, input.mode));
  const touched = new Set([...input.previous.keys(), ...nowKeys.keys()]);

  const indexSet: [string, string[]][] = [];
  const indexRemove: string[] = [];
  const mappingSet = new Map<string, string>();
  const mappingRemove = new Set<string>();
  const ambiguous: AmbiguousKey[] = [];
  // A destination variant of this product that ends up under no decided key loses its mapping.
  if (input.side === 'destination') for (const id of touched) mappingRemove.add(id);

  for (const key of affectedKeys(input.variants, input.previous, input.mode)) {
    const others = (input.sameSide.get(key) ?? []).filter((id) => !touched.has(id));
    const mine = [...nowKeys].filter(([, k]) => k === key).map(([id]) => id);
    const updated = [...others, ...mine].sort();
    if (updated.length > 0) indexSet.push([key, updated]);
    else indexRemove.push(key);

    const other = input.otherSide.get(key) ?? [];
    const [destination, source] = input.side === 'destination' ? [updated, other] : [other, updated];
    const decision = decideKey(destination, source);
    for (const id of destination) mappingRemove.add(id);
    if (decision.kind === 'mapped') mappingSet.set(decision.destination, decision.source);
    else if (decision.kind === 'ambiguous') ambiguous.push({ key, destination, source: [...source] });
  }
  for (const id of mappingSet.keys()) mappingRemove.delete(id);

  return {
    side: input.side,
    productId: input.productId,
    productVariants: [...nowKeys.keys()],
    catalogSet: [...nowKeys],
    catalogRemove: [...input.previous.keys()].filter((id) => !nowKeys.has(id)),
    indexSet,
    indexRemove,
    mappingSet: [...mappingSet],
    mappingRemove: [...mappingRemove].sort(),
    ambiguous,
  };
}

/** Where a product webhook of `shop` lands: each connection it takes part in, with its side. */
export function productChangeTargets<C extends { readonly sourceShop: string; readonly destinationShop: string }>(
  connections: readonly C[],
  shop: string,
): { connection: C; side: StoreSide }[] {
  const targets: { connection: C; side: StoreSide }[] = [];
  for (const connection of connections) {
    if (connection.sourceShop === shop) targets.push({ connection, side: 'source' });
    if (connection.destinationShop === shop) targets.push({ connection, side: 'destination' });
  }
  return targets;
}
