// What the writer remembers per origin record: the link to its source copy. Pure types.
import type { SyncOutcome } from '../contracts/sync-event.js';

/**
 * The record whose outcome the link holds, and the events it produced: a crash between the
 * link write and the events' publish re-delivers that record, which then re-publishes the
 * same events (same ids) instead of a bare "stale" skip.
 */
export interface LinkReplay {
  readonly rawId: string;
  readonly events: readonly { readonly outcome: SyncOutcome; readonly reason: string | null }[];
}

/** State of the source copy as far as the writer knows. */
export type LinkStatus = 'OPEN' | 'COMPLETED' | 'DELETED';

/**
 * The copy was changed in the source store by someone else: `FLAGGED` (tagged, not overwritten
 * until the connection says `overwrite` or a forced resync), `KEPT` (no longer synced).
 */
export type SourceEditState = 'FLAGGED' | 'KEPT';

export interface Link {
  /** Source draft GID; null while only an intent exists, or for a tombstone whose copy never existed. */
  readonly sourceDraftId: string | null;
  readonly sourceDraftName: string | null;
  /** Version (origin `updated_at`, or the delete's time) last applied; null before the first apply. */
  readonly appliedVersion: string | null;
  readonly invoiceSent: boolean;
  readonly status: LinkStatus;
  /**
   * Set (epoch ms) just before a draftOrderCreate is sent and cleared when the link is written:
   * when present at the start, the last create's outcome is unknown and the source store must
   * be searched for the sync tag before creating again.
   */
  readonly createIntentAt: number | null;
  /**
   * Set (epoch ms) right before any other mutation of the copy is sent, cleared by the link
   * write that follows: when present, the copy may carry a write of ours the link does not
   * know (its updatedAt is then no sign of someone else's edit).
   */
  readonly writeIntentAt: number | null;
  /** Set by the write that finished a record (its version is `appliedVersion`). */
  readonly replay: LinkReplay | null;
  /**
   * Fencing token of the writer that last wrote this link (its partition assignment's
   * generation); a writer with an older one may not write it. Null before fencing existed.
   */
  readonly generation: number | null;
  /** Fingerprint of the content applied at `appliedVersion` (ties within one second). */
  readonly fingerprint: string | null;
  /** The copy's `updatedAt` as our last write left it: a later one means someone else edited it. */
  readonly copyUpdatedAt: string | null;
  readonly sourceEdited: SourceEditState | null;
}

export const NO_LINK: Link = {
  sourceDraftId: null,
  sourceDraftName: null,
  appliedVersion: null,
  invoiceSent: false,
  status: 'OPEN',
  createIntentAt: null,
  writeIntentAt: null,
  replay: null,
  generation: null,
  fingerprint: null,
  copyUpdatedAt: null,
  sourceEdited: null,
};

/** True when nothing was ever recorded for the key. */
export function isEmptyLink(link: Link): boolean {
  return link.sourceDraftId === null && link.appliedVersion === null && link.createIntentAt === null && link.status === 'OPEN';
}
