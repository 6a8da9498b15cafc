// A fingerprint of the content a copy is given: what tells two versions of one second apart
// (Shopify's updated_at has whole seconds) and a duplicate from a change.
import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { SourceDraft } from './model.js';

/** Same content → same fingerprint, whatever the order of object keys. */
export function fingerprintOf(draft: SourceDraft): string {
  return createHash('sha256').update(stringify(draft)).digest('base64url').slice(0, 22);
}
