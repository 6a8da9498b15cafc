// Executes the decision for one mapped record against its source store and link state,
// and reports every outcome as DraftOrderSyncEvents. Transient failures are retried here
// (blocking only this key); permanent ones end as a FAILED event plus a DLQ reason.
import type { MappedDraftOrder, SourceDraft } from '../../../../src/domain/model.js';
import type { DraftOrderSyncEvent, SyncOutcome } from '../../../../src/contracts/sync-event.js';
import { syncTagFor } from '../../../../src/domain/keys.js';
import type { Link } from '../../../../src/links/link.js';
import { LinkWriteRefused, NO_GENERATION, type LinkStore } from '../../../../src/links/link-store.js';
import { FencedWrite } from '../consumer/generations.js';
import { sleep } from '../../../../src/shared/retry.js';
import type { Clock } from '../../../../src/shared/clock.js';
import { describeFailure, type CallResult, type FailedCall } from '../../../../src/shopify/call-result.js';
import { toDraftOrderInput, withSyncTag, type DraftOrderInput } from '../shopify/draft-input.js';
import type { SourceDraftNode } from '../shopify/operations.js';
import { isCompletedRefusal, isCustomerMissing, isNotFound, type SourceStore } from '../shopify/source-store.js';
import type { CustomerResolver } from './customer-resolver.js';
import { decide, SKIP } from './decide.js';
import { syncEvent, type EventDetails } from '../../../../src/contracts/sync-event.js';
import { ApplyInterrupted, DEFAULT_RETRY, pause, withRetry, type RetryContext, type RetryPolicy } from './retry.js';
import { compareVersions, isNewer, isSameVersion } from '../../../../src/domain/versions.js';
import { fingerprintOf } from '../../../../src/domain/fingerprint.js';
import type { CopyStates } from './copy-states.js';
import type { DestinationTruth, Truth } from './destination-truth.js';

export interface ApplyDeps {
  readonly links: LinkStore;
  /** The paced store client for a source shop; undefined when the shop is not configured. */
  readonly storeFor: (sourceShop: string) => SourceStore | undefined;
  readonly customers: CustomerResolver;
  readonly clock: Clock;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  /** Aborted on shutdown: a retrying apply then throws ApplyInterrupted (do not commit). */
  readonly signal?: AbortSignal;
  /** Added to the source copy when its origin is completed (onCompleted = TAG). */
  readonly completedTag?: string;
  /**
   * Searching for a create whose reply was lost: tag search may lag behind a create, so it is
   * repeated `attempts` times, the delay doubling from `delayMs`, before concluding "not created".
   */
  readonly tagSearch?: { readonly attempts: number; readonly delayMs: number };
  readonly onRetry?: (operation: string, kind: string) => void;
  /**
   * This process's generation of the record's partition. Checked right before every mutation,
   * and written with every link write (a compare-and-set: an older generation is refused).
   * Absent outside a partition assignment (tests, tools): links are written with generation 0.
   */
  readonly fence?: ApplyFence;
  /**
   * How long a request sent by an older generation may still be in flight (the Admin API
   * deadline plus a margin): its create intent is resolved only after that (default 20 s).
   */
  readonly inFlightMs?: number;
  /** Reads the destination's current state: settles two versions of one second (absent: they stay STALE). */
  readonly destination?: DestinationTruth;
  /** The copies' current state, batched: detects edits made in the source store (absent: no detection). */
  readonly copyStates?: CopyStates;
  /** Put on a copy found edited in the source store under `onSourceEdited: flag`. */
  readonly sourceEditedTag?: string;
}

/** Per record, from the scheduler. */
export interface ApplyOptions {
  /** Another queued record of this key had the same version and other content. */
  readonly contested?: boolean;
}

export interface ApplyFence {
  readonly generation: number;
  readonly claimedAt: number;
  check(): Promise<void>;
}

export interface ApplyResult {
  readonly events: readonly DraftOrderSyncEvent[];
  /** Set when the record failed permanently: it goes to the DLQ with this reason. */
  readonly dlqReason: string | null;
}

export const DEFAULT_COMPLETED_TAG = 'origin-completed';
export const DEFAULT_SOURCE_EDITED_TAG = 'dos-source-edited';
const DEFAULT_TAG_SEARCH = { attempts: 4, delayMs: 250 };
const DEFAULT_IN_FLIGHT_MS = 20_000;

/**
 * Applies one record. `prefetched` may carry the key's link from a batch read
 * (LinkStore.getMany) when nothing for this key ran since; otherwise it is read here.
 * Infrastructure errors (Redis) are thrown: the caller must not commit the record.
 */
export async function applyMapped(record: MappedDraftOrder, deps: ApplyDeps, prefetched?: Link, options: ApplyOptions = {}): Promise<ApplyResult> {
  // A revoked partition's queued records must not start.
  if (deps.signal?.aborted) throw new ApplyInterrupted();
  const link = prefetched ?? (await deps.links.get(record.key));
  const store = deps.storeFor(record.sourceShop);
  const run = new ApplyRun(record, deps, link);
  if (!store) return run.fail(`invalid input: source shop ${record.sourceShop} is not configured`);
  if (options.contested) await run.takeDestinationTruth();
  return run.execute(store.bound({ signal: deps.signal, beforeSend: () => run.beforeMutation() }));
}

type Failure = { readonly failed: FailedCall };

class ApplyRun {
  private readonly events: DraftOrderSyncEvent[] = [];
  private readonly retryCtx: RetryContext;
  private readonly syncTag: string;
  private readonly completedTag: string;
  /** The copy was found by its sync tag after an earlier, unconfirmed create. */
  private adopted = false;

  constructor(
    /** Replaced by the destination's current state when a tie is settled. */
    private record: MappedDraftOrder,
    private readonly deps: ApplyDeps,
    private link: Link,
  ) {
    this.retryCtx = {
      clock: deps.clock,
      policy: deps.retry ?? DEFAULT_RETRY,
      random: deps.random ?? Math.random,
      signal: deps.signal,
      onRetry: deps.onRetry,
    };
    this.syncTag = syncTagFor(record.key);
    this.completedTag = deps.completedTag ?? DEFAULT_COMPLETED_TAG;
  }

  /**
   * Right before each mutation goes out (after its pacing waits): still this partition's
   * owner, and the intent on the link (a compare-and-set: refused if a newer writer got there).
   */
  async beforeMutation(): Promise<void> {
    await this.deps.fence?.check();
    await this.deps.links.recordWriteIntent(this.record.key, this.deps.clock.now(), { generation: this.generation, version: this.record.version });
  }

  async execute(store: SourceStore): Promise<ApplyResult> {
    // A mutation of an older generation may still be in flight: let it land first.
    if (this.link.writeIntentAt !== null) await this.outwaitOlderGeneration();
    // At most two rounds: resolving a pending create intent changes the link, then decide again.
    for (let round = 0; round < 2; round++) {
      const decision = decide(this.record, this.link);
      switch (decision.kind) {
        case 'skip':
          if (decision.reason === SKIP.STALE && this.isRedelivery()) return this.replayEvents();
          return this.done('SKIPPED', { reason: decision.reason, ...this.linkedCopy() });
        case 'fail':
          return this.fail(decision.reason);
        case 'resolve-intent': {
          await this.outwaitOlderGeneration();
          const found = await this.findByTag(store, null);
          if ('failed' in found) return this.failCall('search by sync tag', found.failed);
          await this.adoptOrForget(found.node);
          continue;
        }
        case 'create':
          return this.create(store, 'CREATED', null);
        case 'recreate':
          return this.create(store, 'RECREATED', this.link.sourceDraftId);
        case 'update':
          return this.update(store, decision.sourceDraftId);
        case 'tie':
          return this.settleTie(store, decision.sourceDraftId);
        case 'delete':
          return this.remove(store, decision.sourceDraftId, 'DELETED');
        case 'complete-delete':
          return this.remove(store, decision.sourceDraftId, 'COMPLETED');
        case 'complete-tag':
          return this.completeWithTag(store, decision.sourceDraftId);
      }
    }
    return this.fail('internal: create intent could not be resolved');
  }

  // ---- create ----

  private async create(store: SourceStore, outcome: 'CREATED' | 'RECREATED', goneId: string | null): Promise<ApplyResult> {
    const draft = this.record.draft;
    if (!draft) return this.fail('invalid input: UPSERT record without a draft');
    let input = toDraftOrderInput(draft, this.syncTag, await this.customerFor(store, draft));
    let customerRefreshed = false;

    // An earlier create of this key may have gone through without us hearing back.
    if (this.link.createIntentAt !== null) {
      await this.outwaitOlderGeneration();
      const found = await this.findByTag(store, goneId);
      if ('failed' in found) return this.failCall('search by sync tag', found.failed);
      if (found.node) {
        await this.adoptOrForget(found.node);
        return this.update(store, found.node.id, outcome);
      }
    }

    await this.deps.links.recordCreateIntent(this.record.key, this.deps.clock.now(), { generation: this.generation, version: this.record.version });
    this.link = { ...this.link, createIntentAt: this.deps.clock.now() };
    for (let attempt = 0; ; attempt++) {
      const result = await store.createDraft(input);
      if (result.kind === 'ok') return this.finish(store, result.data, outcome, true).catch((error: unknown) => this.undoFencedCreate(result.data.id, error));
      if (result.kind === 'user-errors' && !customerRefreshed && isCustomerMissing(result.userErrors)) {
        customerRefreshed = true;
        input = toDraftOrderInput(draft, this.syncTag, await this.refreshCustomer(store, draft));
        continue;
      }
      if (result.kind === 'user-errors' || result.kind === 'permanent') {
        // Nothing was created: the intent can go.
        await this.saveLink({ ...this.link, createIntentAt: null });
        return this.failCall('draftOrderCreate', result);
      }
      if (result.kind === 'transient') {
        // The create may have happened; never send it again blindly.
        const found = await this.findByTag(store, goneId);
        if ('failed' in found) return this.failCall('search by sync tag', found.failed);
        if (found.node) return this.finish(store, found.node, outcome, true);
      }
      if (attempt + 1 >= this.retryCtx.policy.maxAttempts) return this.failCall('draftOrderCreate', result);
      this.retryCtx.onRetry?.('DraftOrderCreate', result.kind);
      await pause(this.retryCtx, attempt);
    }
  }

  /**
   * Our create went out, but a newer writer owns the key now (its link refused ours): a writer
   * frozen between its last generation check and the send can get here. When the link already
   * names another copy, ours is a duplicate: it is deleted again (unguarded: this is the undo).
   * The refusal is rethrown either way, so the partition's work here stops.
   */
  private async undoFencedCreate(createdId: string, error: unknown): Promise<never> {
    if (error instanceof LinkWriteRefused || error instanceof FencedWrite) {
      const current = await this.deps.links.get(this.record.key);
      const raw = this.deps.storeFor(this.record.sourceShop);
      if (raw && current.sourceDraftId !== null && current.sourceDraftId !== createdId) {
        const undone = await withRetry(this.retryCtx, 'DraftOrderDelete', () => raw.bound({ signal: this.deps.signal }).deleteDraft(createdId));
        if (undone.kind !== 'ok' && !isGone(undone)) throw new Error(`fenced create ${createdId} of ${this.record.key} could not be undone: ${describeFailure(undone)}`, { cause: error });
      }
    }
    throw error;
  }

  /** The draft carrying our sync tag, searched a few times because search may lag a create. */
  private async findByTag(store: SourceStore, excludeId: string | null): Promise<{ readonly node: SourceDraftNode | null } | Failure> {
    const { attempts, delayMs } = this.deps.tagSearch ?? DEFAULT_TAG_SEARCH;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.deps.clock.sleep(delayMs * 2 ** (attempt - 1));
      const result = await withRetry(this.retryCtx, 'DraftOrdersByTag', () => store.findDraftsByTag(this.syncTag));
      if (result.kind !== 'ok') return { failed: result };
      const node = result.data.find((candidate) => candidate.id !== excludeId);
      if (node) return { node };
    }
    return { node: null };
  }

  private async adoptOrForget(node: SourceDraftNode | null): Promise<void> {
    if (node) {
      this.adopted = true;
      this.link = {
        ...this.link,
        sourceDraftId: node.id,
        sourceDraftName: node.name,
        status: 'OPEN',
        invoiceSent: this.link.invoiceSent || node.invoiceSentAt !== null,
        createIntentAt: null,
        copyUpdatedAt: node.updatedAt,
      };
    } else {
      this.link = { ...this.link, createIntentAt: null };
    }
    await this.saveLink(this.link);
  }

  // ---- update ----

  private async update(store: SourceStore, id: string, outcomeIfCreated?: 'CREATED' | 'RECREATED'): Promise<ApplyResult> {
    const draft = this.record.draft;
    if (!draft) return this.fail('invalid input: UPSERT record without a draft');
    if (outcomeIfCreated === undefined && !this.adopted) {
      const settled = (await this.forcedResync(store, id)) ?? (await this.sourceEdit(store, id));
      if (settled) return settled;
    }
    const send = (input: DraftOrderInput) => withRetry(this.retryCtx, 'DraftOrderUpdate', () => store.updateDraft(id, input));
    let result = await send(toDraftOrderInput(draft, this.syncTag, await this.customerFor(store, draft)));
    if (result.kind === 'user-errors' && isCustomerMissing(result.userErrors)) {
      result = await send(toDraftOrderInput(draft, this.syncTag, await this.refreshCustomer(store, draft)));
    }
    if (result.kind === 'ok') {
      const outcome = outcomeIfCreated ?? (this.adopted ? 'CREATED' : 'UPDATED');
      return this.finish(store, result.data, outcome, this.adopted || this.link.appliedVersion === null);
    }
    if (isGone(result)) return this.create(store, 'RECREATED', id);
    if (result.kind === 'user-errors' && isCompletedRefusal(result.userErrors)) {
      const current = await withRetry(this.retryCtx, 'DraftOrderGet', () => store.getDraft(id));
      if (current.kind !== 'ok') return this.failCall('draftOrder', current);
      if (current.data === null) return this.create(store, 'RECREATED', id);
      if (current.data.status === 'COMPLETED') {
        return this.complete({ ...this.link, status: 'COMPLETED', appliedVersion: this.record.version }, 'SKIPPED', { reason: SKIP.SOURCE_COMPLETED, ...this.linkedCopy() });
      }
    }
    return this.failCall('draftOrderUpdate', result);
  }

  // ---- ties and source-side edits ----

  /**
   * Reads the destination's current state and makes it the record to apply (its version is the
   * destination's updated_at now, never older than the record's). Unreadable or gone: the
   * record stays as it is (a delete webhook follows a deletion).
   */
  async takeDestinationTruth(): Promise<Truth | null> {
    if (!this.deps.destination || this.record.action !== 'UPSERT') return null;
    const truth = await this.deps.destination.read(this.record, this.deps.signal);
    if (truth.kind === 'mapped' && truth.record.action === 'UPSERT' && truth.record.draft !== null) {
      const version = compareVersions(truth.record.version, this.record.version) > 0 ? truth.record.version : this.record.version;
      this.record = { ...this.record, draft: truth.record.draft, version };
    }
    return truth;
  }

  /** The applied version again with other content: apply the destination's truth unless the copy already has it. */
  private async settleTie(store: SourceStore, id: string): Promise<ApplyResult> {
    const truth = await this.takeDestinationTruth();
    if (truth === null) return this.done('SKIPPED', { reason: SKIP.STALE, ...this.linkedCopy() });
    if (truth.kind === 'failed') return this.fail(`same version, other content, and the destination could not be read: ${truth.reason}`);
    if (truth.kind === 'gone') return this.done('SKIPPED', { reason: `${SKIP.STALE}: same version, and the destination no longer has it`, ...this.linkedCopy() });
    const draft = this.record.draft;
    if (truth.record.action !== 'UPSERT' || draft === null) return this.done('SKIPPED', { reason: truth.record.skipReason ?? SKIP.STALE, ...this.linkedCopy() });
    if (fingerprintOf(draft) === this.link.fingerprint && !isNewer(this.record.version, this.link.appliedVersion)) {
      return this.done('SKIPPED', { reason: `${SKIP.STALE}: the copy already matches the destination`, ...this.linkedCopy() });
    }
    return this.update(store, id);
  }

  /**
   * A forced resync of the applied version (replay --force, reconcile --source) writes only
   * where something is wrong: a copy gone is recreated with one create (no update that fails
   * first), a copy that exists unedited with the applied content is left alone.
   */
  private async forcedResync(store: SourceStore, id: string): Promise<ApplyResult | null> {
    const states = this.deps.copyStates;
    const draft = this.record.draft;
    if (!states || !draft || !this.record.force || !isSameVersion(this.record.version, this.link.appliedVersion)) return null;
    const state = await withRetry(this.retryCtx, 'DraftOrdersById', () => states.get(store.shop, id));
    if (state.kind !== 'ok') return this.failCall('nodes', state);
    if (state.data === null) return this.create(store, 'RECREATED', id);
    const unedited = this.link.writeIntentAt === null && this.link.copyUpdatedAt !== null && compareVersions(state.data.updatedAt, this.link.copyUpdatedAt) <= 0;
    if (unedited && this.link.fingerprint === fingerprintOf(draft)) {
      return this.done('SKIPPED', { reason: `${SKIP.STALE}: forced, and the copy already has this version`, ...this.linkedCopy() });
    }
    return null;
  }

  /**
   * Someone else changed the copy since our last write (its updatedAt is later than the one our
   * write left): per the connection, flag it (tag, no overwrite), keep it (stop syncing it), or
   * overwrite it. The copy's state comes from one query per batch of updates. Returns the
   * result when the update must not go ahead.
   */
  private async sourceEdit(store: SourceStore, id: string): Promise<ApplyResult | null> {
    const states = this.deps.copyStates;
    const policy = this.record.onSourceEdited;
    if (!states || policy === 'OVERWRITE' || this.record.force) return null;
    if (this.link.sourceEdited === null && this.link.copyUpdatedAt === null) return null; // nothing to compare with
    // A write of ours whose outcome the link never heard of may have moved updatedAt.
    if (this.link.sourceEdited === null && this.link.writeIntentAt !== null) return null;
    const state = await withRetry(this.retryCtx, 'DraftOrdersById', () => states.get(store.shop, id));
    if (state.kind !== 'ok') return this.failCall('nodes', state);
    const copy = state.data;
    if (copy === null) return null; // gone: the update finds out and recreates it
    const flagTag = this.deps.sourceEditedTag ?? DEFAULT_SOURCE_EDITED_TAG;
    if (this.link.sourceEdited === 'FLAGGED') {
      // Removing the tag from the copy is how someone says "sync may overwrite it again".
      return copy.tags.includes(flagTag) ? this.done('SKIPPED', { reason: SKIP.SOURCE_EDITED, ...this.linkedCopy() }) : null;
    }
    if (this.link.copyUpdatedAt === null || compareVersions(copy.updatedAt, this.link.copyUpdatedAt) <= 0) return null;
    if (policy === 'KEEP') {
      return this.complete({ ...this.link, sourceEdited: 'KEPT' }, 'SKIPPED', { reason: SKIP.SOURCE_KEPT, ...this.linkedCopy() });
    }
    const tagged = await withRetry(this.retryCtx, 'DraftOrderUpdate', () => store.updateDraft(id, { tags: [...copy.tags.filter((t) => t !== flagTag), flagTag] }));
    if (tagged.kind !== 'ok' && !isGone(tagged)) return this.failCall('draftOrderUpdate (flag the edited copy)', tagged);
    // Stable text (no times, no ids): status counts skips by reason.
    const reason = `${SKIP.SOURCE_EDITED}: changed in the source store after our last write; tagged ${flagTag}, not overwritten`;
    return this.complete({ ...this.link, sourceEdited: 'FLAGGED' }, 'SKIPPED', { reason, ...this.linkedCopy() });
  }

  // ---- delete / complete ----

  private async remove(store: SourceStore, id: string | null, outcome: 'DELETED' | 'COMPLETED'): Promise<ApplyResult> {
    const tombstone: Link = { ...this.link, status: 'DELETED', appliedVersion: this.record.version, createIntentAt: null };
    if (id === null) return this.complete(tombstone, outcome, { reason: 'no source copy existed' });
    const result = await withRetry(this.retryCtx, 'DraftOrderDelete', () => store.deleteDraft(id));
    if (result.kind === 'ok' || isGone(result)) {
      const reason = result.kind === 'ok' ? (outcome === 'COMPLETED' ? 'source copy deleted' : null) : 'source copy was already gone';
      return this.complete(tombstone, outcome, { reason, ...this.linkedCopy() });
    }
    if (result.kind === 'user-errors' && isCompletedRefusal(result.userErrors)) {
      return this.complete({ ...this.link, status: 'COMPLETED', appliedVersion: this.record.version }, 'SKIPPED', { reason: SKIP.SOURCE_COMPLETED, ...this.linkedCopy() });
    }
    return this.failCall('draftOrderDelete', result);
  }

  private async completeWithTag(store: SourceStore, id: string): Promise<ApplyResult> {
    const draft = this.record.draft;
    // Tags only: the copy's content stays as last synced; updates replace the tag list, so
    // send all of it (the origin's tags when the record has them, else the copy's).
    let tags: readonly string[];
    if (draft) tags = draft.tags;
    else {
      const current = await withRetry(this.retryCtx, 'DraftOrderGet', () => store.getDraft(id));
      if (current.kind !== 'ok') return this.failCall('draftOrder', current);
      if (current.data === null) return this.completedGone();
      tags = current.data.tags;
    }
    const input = { tags: withSyncTag([...tags, this.completedTag], this.syncTag) };
    const result = await withRetry(this.retryCtx, 'DraftOrderUpdate', () => store.updateDraft(id, input));
    if (result.kind === 'ok') {
      const link: Link = { ...this.link, status: 'COMPLETED', appliedVersion: this.record.version, createIntentAt: null, copyUpdatedAt: result.data.updatedAt };
      return this.complete(link, 'COMPLETED', { reason: `source copy tagged ${this.completedTag}`, ...this.linkedCopy() });
    }
    if (isGone(result)) return this.completedGone();
    if (result.kind === 'user-errors' && isCompletedRefusal(result.userErrors)) {
      const link: Link = { ...this.link, status: 'COMPLETED', appliedVersion: this.record.version };
      return this.complete(link, 'COMPLETED', { reason: 'source copy was already completed', ...this.linkedCopy() });
    }
    return this.failCall('draftOrderUpdate', result);
  }

  private async completedGone(): Promise<ApplyResult> {
    const link: Link = { ...this.link, status: 'DELETED', appliedVersion: this.record.version, createIntentAt: null };
    return this.complete(link, 'COMPLETED', { reason: 'source copy no longer exists', ...this.linkedCopy() });
  }

  // ---- finishing a create/update: link + invoice ----

  /**
   * Writes the link and, when the connection wants it and this source draft was just made
   * and never invoiced, sends the invoice once. Until the invoice is settled the link keeps
   * the previous applied version, so a crash in between re-runs this record.
   */
  private async finish(store: SourceStore, node: SourceDraftNode, outcome: SyncOutcome, justCreated: boolean): Promise<ApplyResult> {
    const invoiceSent = this.link.invoiceSent || node.invoiceSentAt !== null;
    const base: Link = { ...this.link, sourceDraftId: node.id, sourceDraftName: node.name, status: 'OPEN', invoiceSent, createIntentAt: null, copyUpdatedAt: node.updatedAt };
    const draft = this.record.draft;
    const final: Link = { ...base, appliedVersion: this.record.version, fingerprint: draft ? fingerprintOf(draft) : null, sourceEdited: null };
    this.link = final;
    const copy = { sourceDraftId: node.id, sourceDraftName: node.name };

    if (!this.record.sendInvoice || invoiceSent || !justCreated) return this.complete(final, outcome, copy);
    const recipient = draft?.email ?? draft?.customer?.email ?? node.email ?? node.customer?.email ?? null;
    if (recipient === null) {
      this.push(outcome, copy);
      return this.complete(final, 'INVOICE_SKIPPED', { ...copy, reason: 'no recipient: the draft has no email and no customer email' });
    }
    await this.saveLink(base);
    this.push(outcome, copy);
    const sent = await withRetry(this.retryCtx, 'DraftOrderInvoiceSend', () => store.sendInvoice(node.id, recipient));
    if (sent.kind !== 'ok') {
      const failed = this.failCall('draftOrderInvoiceSend', sent, copy);
      await this.saveFinal(final);
      return failed;
    }
    return this.complete({ ...final, invoiceSent: true, copyUpdatedAt: sent.data.updatedAt }, 'INVOICE_SENT', { ...copy, reason: null });
  }

  // ---- helpers ----

  /** Source customer for the draft's email; lookup failures only cost the link, not the draft. */
  private async customerFor(store: SourceStore, draft: SourceDraft): Promise<string | null> {
    const email = draft.customer?.email ?? draft.email;
    if (!email) return null;
    const result = await withRetry(this.retryCtx, 'CustomerByEmail', () => this.deps.customers.resolve(store, email));
    return result.kind === 'ok' ? result.data : null;
  }

  /** Looks the customer up again after the store refused the cached id. */
  private async refreshCustomer(store: SourceStore, draft: SourceDraft): Promise<string | null> {
    const email = draft.customer?.email ?? draft.email;
    if (!email) return null;
    await this.deps.customers.forget(store, email);
    return this.customerFor(store, draft);
  }

  /** The events of this record are decided: write the link that finishes it, replayable. */
  private async complete(link: Link, outcome: SyncOutcome, details: EventDetails): Promise<ApplyResult> {
    this.push(outcome, details);
    await this.saveFinal(link);
    return { events: this.events, dlqReason: null };
  }

  /** Writes `link` with this record's events, so a re-delivery after a crash re-publishes them. */
  private async saveFinal(link: Link): Promise<void> {
    const events = this.events.map((e) => ({ outcome: e.outcome, reason: e.reason }));
    await this.saveLink({ ...link, replay: { rawId: this.record.rawId, events } });
  }

  /** This very record was finished before (its link says so) but may not have been published. */
  private isRedelivery(): boolean {
    const { replay, appliedVersion } = this.link;
    return replay !== null && replay.rawId === this.record.rawId && appliedVersion !== null && compareVersions(this.record.version, appliedVersion) === 0;
  }

  /** Re-publishes the recorded outcome (same event ids), not a bare "stale" skip. */
  private replayEvents(): ApplyResult {
    let dlqReason: string | null = null;
    for (const event of this.link.replay?.events ?? []) {
      this.push(event.outcome, { reason: event.reason, ...this.linkedCopy() });
      if (event.outcome === 'FAILED') dlqReason = event.reason;
    }
    return { events: this.events, dlqReason };
  }

  private linkedCopy(): EventDetails {
    return { sourceDraftId: this.link.sourceDraftId, sourceDraftName: this.link.sourceDraftName };
  }

  private async saveLink(link: Link): Promise<void> {
    // Every mutation before this write has its outcome known: the write intent goes.
    this.link = { ...link, writeIntentAt: null, generation: this.generation };
    await this.deps.links.write(this.record.key, this.link, this.generation);
  }

  private get generation(): number {
    return this.deps.fence?.generation ?? NO_GENERATION;
  }

  /**
   * An intent left by an older generation (a writer that lost this partition) may belong to a
   * create still in flight: searching for it before that request's deadline has passed could
   * miss it and create a second copy. Requests of older generations were all sent before our
   * claim (each checks its generation right before it goes out).
   */
  private async outwaitOlderGeneration(): Promise<void> {
    const fence = this.deps.fence;
    if (!fence || this.link.generation === null || this.link.generation >= fence.generation) return;
    const wait = fence.claimedAt + (this.deps.inFlightMs ?? DEFAULT_IN_FLIGHT_MS) - this.deps.clock.now();
    if (wait > 0 && !(await sleep(wait, { signal: this.deps.signal, clock: this.deps.clock }))) throw new ApplyInterrupted();
  }

  private push(outcome: SyncOutcome, details: EventDetails): void {
    this.events.push(syncEvent(this.record, outcome, details, new Date()));
  }

  private done(outcome: SyncOutcome, details: EventDetails): ApplyResult {
    this.push(outcome, details);
    return { events: this.events, dlqReason: null };
  }

  fail(reason: string, details: EventDetails = {}): ApplyResult {
    this.push('FAILED', { ...this.linkedCopy(), ...details, reason });
    return { events: this.events, dlqReason: reason };
  }

  private failCall(operation: string, result: FailedCall, details: EventDetails = {}): ApplyResult {
    return this.fail(`${operation}: ${describeFailure(result)}`, details);
  }
}

/** The source copy no longer exists (deleted by someone, purged). */
function isGone(result: CallResult<unknown>): boolean {
  if (result.kind === 'user-errors') return isNotFound(result.userErrors);
  if (result.kind === 'permanent') return isNotFound([{ field: null, message: result.reason }]);
  return false;
}
