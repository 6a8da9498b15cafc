// Tag rules of the source store: at most 40 characters, no commas (REST joins tags with
// commas), compared case-insensitively.
import { isSyncTag } from './keys.js';

export const MAX_TAG_LENGTH = 40;
const MYSHOPIFY_SUFFIX = '.myshopify.com';

/** `eu-brand.myshopify.com` → `eu-brand`. */
export function shopName(shop: string): string {
  return shop.endsWith(MYSHOPIFY_SUFFIX) ? shop.slice(0, -MYSHOPIFY_SUFFIX.length) : shop;
}

/** Trims, removes commas and cuts at 40 code points (never inside a surrogate pair). */
export function cleanTag(tag: string): string {
  const cleaned = tag.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
  const codePoints = Array.from(cleaned);
  return codePoints.length <= MAX_TAG_LENGTH ? cleaned : codePoints.slice(0, MAX_TAG_LENGTH).join('').trimEnd();
}

/** The origin tag for a destination shop; null when the connection turns it off. */
export function formatOriginTag(format: string | false, destinationShop: string): string | null {
  if (format === false) return null;
  const tag = cleanTag(format.replaceAll('{shop}', shopName(destinationShop)));
  return tag === '' ? null : tag;
}

/** Cleaned, de-duplicated (case-insensitively, first spelling wins), empty ones dropped. */
export function normalizeTags(tags: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = cleanTag(raw);
    const folded = tag.toLowerCase();
    if (tag === '' || seen.has(folded)) continue;
    seen.add(folded);
    out.push(tag);
  }
  return out;
}

export function hasSyncTag(tags: readonly string[]): boolean {
  return tags.some(isSyncTag);
}
