// A fingerprint of the content a copy is given: what tells two versions of one second apart
// (Shopify's updated_at has whole seconds) and a duplicate from a change.
import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { SourceDraft } from './model.js';

const known = new WeakMap<SourceDraft, string>();

/**
 * Same content → same fingerprint, whatever the order of object keys. Drafts are immutable, so
 * one record's is computed once however many steps ask (coalescing, decide, the link write).
 */
export function fingerprintOf(draft: SourceDraft): string {
  let fingerprint = known.get(draft);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(stringify(draft)).digest('base64url').slice(0, 22);
    known.set(draft, fingerprint);
  }
  return fingerprint;
}
