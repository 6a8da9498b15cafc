// Redis key layout of the mapping store. Every key of one connection carries the hash tag
// `{connectionId}`, so in a Redis Cluster they share a slot: MULTI and RENAME work across them.
//
//   {p}map:{c}                dest variant id → source variant id  (what the mapper reads; HMGET)
//   {p}map:{c}:manual         dest → source set by hand; wins over built entries, survives rebuilds
//   {p}map:{c}:unmapped       set of dest variant ids the mapper met without a mapping
//   {p}map:{c}:report         last build: builtAt, matchBy, mapped, unmatched, ambiguous (JSON)
//   {p}map:{c}:idx:{side}     match key → JSON [variant ids]      (side = source | destination)
//   {p}map:{c}:cat:{side}     variant id → match key ("" = none)
//   {p}map:{c}:prod:{side}    product id → JSON [variant ids]
//   {p}map:{c}:tmp:{n}:…      staging keys of a rebuild, renamed into place atomically
import type { StoreSide } from './product-change.js';

export interface ConnectionKeys {
  readonly map: string;
  readonly manual: string;
  readonly unmapped: string;
  readonly report: string;
  index(side: StoreSide): string;
  catalog(side: StoreSide): string;
  products(side: StoreSide): string;
  /** Staging key for a rebuild; `nonce` keeps concurrent rebuilds apart. */
  staging(nonce: string, name: string): string;
}

export function connectionKeys(prefix: string, connectionId: string): ConnectionKeys {
  if (/[{}*?[\]\s]/.test(connectionId)) throw new Error(`connection id ${connectionId} cannot be used in a Redis key`);
  const base = `${prefix}map:{${connectionId}}`;
  return {
    map: base,
    manual: `${base}:manual`,
    unmapped: `${base}:unmapped`,
    report: `${base}:report`,
    index: (side) => `${base}:idx:${side}`,
    catalog: (side) => `${base}:cat:${side}`,
    products: (side) => `${base}:prod:${side}`,
    staging: (nonce, name) => `${base}:tmp:${nonce}:${name}`,
  };
}

