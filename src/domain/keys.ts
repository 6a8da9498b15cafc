// Record keys and the deterministic sync tag derived from them.
import { createHash } from 'node:crypto';
import type { OriginKind, OriginRef } from './model.js';

/** Every topic is keyed by the origin record so its events stay in order. */
export function recordKey(shop: string, kind: OriginKind | 'product', id: string): string {
  return `${shop}/${kind}/${id}`;
}

export function keyOf(origin: OriginRef): string {
  return recordKey(origin.shop, origin.kind, origin.id);
}

const SYNC_TAG_PREFIX = 'dos-';
const SYNC_TAG_PATTERN = /^dos-[0-9a-f]{24}$/;

/**
 * The tag our created source drafts carry: 28 chars (Shopify allows 40), derived only
 * from the key so a crashed create can be found again by searching for it.
 */
export function syncTagFor(key: string): string {
  return SYNC_TAG_PREFIX + createHash('sha256').update(key).digest('hex').slice(0, 24);
}

/** Loop guard: a draft carrying a sync tag was written by us. */
export function isSyncTag(tag: string): boolean {
  return SYNC_TAG_PATTERN.test(tag.trim());
}
