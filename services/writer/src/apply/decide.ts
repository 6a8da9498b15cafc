// What to do with one mapped record, given the key's link state. Pure: no I/O.
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import type { Link } from '../../../../src/links/link.js';
import { isNewer, isSameVersion } from '../../../../src/domain/versions.js';
import { fingerprintOf } from '../../../../src/domain/fingerprint.js';

export type Decision =
  /** A create of this key may have happened without us hearing back: search by sync tag first. */
  | { readonly kind: 'resolve-intent' }
  | { readonly kind: 'create' }
  | { readonly kind: 'update'; readonly sourceDraftId: string }
  /**
   * The applied version again, with other content: two changes within Shopify's one-second
   * updated_at. Only the destination's current state can say which is the truth.
   */
  | { readonly kind: 'tie'; readonly sourceDraftId: string }
  /** The tombstone's origin is brought back by an explicit forced resync. */
  | { readonly kind: 'recreate' }
  /** `sourceDraftId` null: there is no copy to delete; record the tombstone. */
  | { readonly kind: 'delete'; readonly sourceDraftId: string | null }
  | { readonly kind: 'complete-tag'; readonly sourceDraftId: string }
  | { readonly kind: 'complete-delete'; readonly sourceDraftId: string }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string };

export const SKIP = {
  STALE: 'STALE',
  ORIGIN_DELETED: 'STALE: origin already deleted',
  SOURCE_COMPLETED: 'source copy is completed',
  NO_SOURCE_COPY: 'no source copy to complete',
  SOURCE_EDITED: 'SOURCE_EDITED',
  SOURCE_KEPT: 'SOURCE_EDITED: the copy is kept as edited in the source store (onSourceEdited keep)',
} as const;

export function decide(record: MappedDraftOrder, link: Link): Decision {
  if (record.action === 'SKIP') return { kind: 'skip', reason: record.skipReason ?? 'SKIP' };
  // A forced resync re-applies the applied version, never an older one: replaying history
  // must not roll a copy back, nor bring back one whose origin was deleted since.
  if (!isNewer(record.version, link.appliedVersion) && !(record.force && isSameVersion(record.version, link.appliedVersion))) {
    if (isTie(record, link) && link.sourceDraftId !== null) return { kind: 'tie', sourceDraftId: link.sourceDraftId };
    return { kind: 'skip', reason: SKIP.STALE };
  }
  if (link.createIntentAt !== null && link.sourceDraftId === null) return { kind: 'resolve-intent' };

  if (link.status === 'DELETED') {
    if (record.action === 'DELETE') return { kind: 'delete', sourceDraftId: null };
    // A deleted origin cannot change again: a "newer" update is clock skew or a late
    // delivery. Only an explicit forced resync brings the copy back.
    if (record.force && record.action === 'UPSERT') return record.draft ? { kind: 'recreate' } : missingDraft();
    return { kind: 'skip', reason: SKIP.ORIGIN_DELETED };
  }
  if (link.status === 'COMPLETED') return { kind: 'skip', reason: SKIP.SOURCE_COMPLETED };

  const id = link.sourceDraftId;
  switch (record.action) {
    case 'UPSERT':
      if (!record.draft) return missingDraft();
      if (id === null) return { kind: 'create' };
      // A forced resync, or a connection switched to overwrite, takes the copy back.
      if (link.sourceEdited === 'KEPT' && !record.force && record.onSourceEdited !== 'OVERWRITE') return { kind: 'skip', reason: SKIP.SOURCE_KEPT };
      return { kind: 'update', sourceDraftId: id };
    case 'DELETE':
      return { kind: 'delete', sourceDraftId: id };
    case 'COMPLETE':
      if (id === null) return { kind: 'skip', reason: SKIP.NO_SOURCE_COPY };
      return record.onCompleted === 'DELETE' ? { kind: 'complete-delete', sourceDraftId: id } : { kind: 'complete-tag', sourceDraftId: id };
  }
}

/** Same version, different content than what the link says was applied. */
function isTie(record: MappedDraftOrder, link: Link): boolean {
  return (
    record.action === 'UPSERT' &&
    record.draft !== null &&
    isSameVersion(record.version, link.appliedVersion) &&
    link.status === 'OPEN' &&
    link.sourceEdited === null &&
    link.fingerprint !== null &&
    fingerprintOf(record.draft) !== link.fingerprint
  );
}

function missingDraft(): Decision {
  return { kind: 'fail', reason: 'invalid input: UPSERT record without a draft' };
}
