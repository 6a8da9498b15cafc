// applyMapped against the store simulator as the source store and a real Redis.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MappedDraftOrder, SourceDraft } from '../../../../src/domain/model.js';
import { syncTagFor } from '../../../../src/domain/keys.js';
import { mappedRecord, sourceDraft } from '../../../../test/support/mapped-fixtures.js';
import { startWriterHarness, type WriterHarness } from '../../../../test/support/writer-harness.js';
import { waitFor } from '../../../../test/support/wait.js';
import { applyMapped } from './apply-mapped.js';
import { CopyStates } from './copy-states.js';
import { LinkWriteRefused } from '../../../../src/links/link-store.js';
import { NO_LINK } from '../../../../src/links/link.js';
import type { AdminGraphql, CallOptions } from '../../../../src/shopify/admin-client.js';
import { SourceStore } from '../shopify/source-store.js';
import { SOURCE_SHOP } from '../../../../test/support/writer-harness.js';

let h: WriterHarness;
let red: string;
let blue: string;
let customerGid: string;
let nextId = 1000;

beforeAll(async () => {
  h = await startWriterHarness('apply');
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sim.reset();
  const [tshirt, hoodie] = h.shop.seedProducts([
    { title: 'Red T-Shirt', variants: [{ sku: 'RED-TS', price: '19.99' }] },
    { title: 'Blue Hoodie', variants: [{ sku: 'BLUE-HD', price: '49.00' }] },
  ]);
  if (!tshirt || !hoodie) throw new Error('seed failed');
  red = h.shop.variantBySku('RED-TS').gid;
  blue = h.shop.variantBySku('BLUE-HD').gid;
  customerGid = `gid://shopify/Customer/${h.shop.addCustomer({ email: 'ana@example.com', firstName: 'Ana', lastName: 'Lopez' }).id}`;
});

/** A fresh origin record (unique key per test) with the seed example's two lines. */
function record(overrides: Partial<MappedDraftOrder> = {}, draft: Partial<SourceDraft> = {}): MappedDraftOrder {
  const id = String(nextId++);
  return mappedRecord({
    origin: { shop: 'eu-brand.myshopify.com', kind: 'draft', id, name: `#D${id}` },
    draft: sourceDraft({ lines: seedLines(), ...draft }),
    ...overrides,
  });
}

function seedLines(): SourceDraft['lines'] {
  return [
    { kind: 'variant', sourceVariantId: red, quantity: 1, priceOverride: null, customAttributes: [], appliedDiscount: null },
    { kind: 'variant', sourceVariantId: blue, quantity: 2, priceOverride: null, customAttributes: [], appliedDiscount: null },
  ];
}

function next(r: MappedDraftOrder, version: string, overrides: Partial<MappedDraftOrder> = {}, draft: Partial<SourceDraft> = {}): MappedDraftOrder {
  return { ...r, version, rawId: `raw-${version}`, ...overrides, draft: overrides.draft === null ? null : sourceDraft({ lines: seedLines(), ...draft }) };
}

function draftsTagged(key: string) {
  return h.shop.store.drafts().filter((d) => d.tags.includes(syncTagFor(key)));
}

/** Shopify's updatedAt has whole seconds: a change is only "later" in a later second. */
async function nextSecond(): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await waitFor('the next second', () => Math.floor(Date.now() / 1000) > now, { intervalMs: 20 });
}

function outcomes(result: { events: readonly { outcome: string }[] }): string[] {
  return result.events.map((e) => e.outcome);
}

describe('applyMapped against the simulator', () => {
  it('creates the source copy with the sync tag, origin tag, lines and linked customer', async () => {
    const r = record();
    const result = await h.apply(r);
    expect(outcomes(result)).toEqual(['CREATED']);
    expect(result.dlqReason).toBeNull();
    const [draft, ...others] = draftsTagged(r.key);
    expect(others).toHaveLength(0);
    expect(draft?.tags).toEqual(expect.arrayContaining(['vip', 'From eu-brand.myshopify.com', syncTagFor(r.key)]));
    expect(draft?.lines.map((l) => [`gid://shopify/ProductVariant/${l.variantId}`, l.quantity])).toEqual([
      [red, 1],
      [blue, 2],
    ]);
    expect(`gid://shopify/Customer/${draft?.customerId}`).toBe(customerGid);
    expect(draft?.note).toBe('from eu-brand #D42');
    expect(result.events[0]?.sourceDraftId).toBe(`gid://shopify/DraftOrder/${draft?.id}`);
    expect(result.events[0]?.sourceDraftName).toBe(`#D${draft?.number}`);
    const link = await h.links.get(r.key);
    expect(link).toMatchObject({ sourceDraftId: result.events[0]?.sourceDraftId, appliedVersion: r.version, createIntentAt: null, status: 'OPEN' });
  });

  it('updates with the full tag and line sets, skips stale versions, re-applies a forced one but never rolls back', async () => {
    const r = record();
    await h.apply(r);
    const v2 = next(r, '2026-01-01T11:00:00Z', {}, { tags: ['wholesale'], lines: [seedLines()[1]!] });
    expect(outcomes(await h.apply(v2))).toEqual(['UPDATED']);
    let [draft] = draftsTagged(r.key);
    expect(draft?.tags.sort()).toEqual(['wholesale', syncTagFor(r.key)].sort());
    expect(draft?.lines.map((l) => l.quantity)).toEqual([2]);

    const duplicate = await h.apply({ ...v2, rawId: 'raw-another-delivery' });
    expect(duplicate.events.map((e) => [e.outcome, e.reason])).toEqual([['SKIPPED', 'STALE']]);
    expect(outcomes(await h.apply(r))).toEqual(['SKIPPED']);

    // Someone edits the copy in the source store; a forced resync of the applied version restores it.
    h.shop.updateDraft(Number(draft!.id), { tags: ['edited-by-hand'] });
    const forced = await h.apply({ ...v2, force: true, recordSource: 'replay', rawId: 'raw-replay' });
    expect(outcomes(forced)).toEqual(['UPDATED']);
    [draft] = draftsTagged(r.key);
    expect(draft?.tags.sort()).toEqual(['wholesale', syncTagFor(r.key)].sort());
    // Forcing an older version does not roll the copy back.
    const older = await h.apply({ ...r, force: true, recordSource: 'replay', rawId: 'raw-replay-old' });
    expect(older.events.map((e) => [e.outcome, e.reason])).toEqual([['SKIPPED', 'STALE']]);
    [draft] = draftsTagged(r.key);
    expect(draft?.lines.map((l) => l.quantity)).toEqual([2]);
    expect(draftsTagged(r.key)).toHaveLength(1);
  });

  it('the same record re-delivered after its link write (crash before publish) re-publishes its events, writes nothing', async () => {
    const r = record({ sendInvoice: true }, { email: null, customer: null });
    const first = await h.apply(r);
    expect(outcomes(first)).toEqual(['CREATED', 'INVOICE_SKIPPED']);
    const mutations = h.shop.stats.mutations;
    const again = await h.apply(r);
    expect(again.events.map((e) => [e.eventId, e.outcome, e.reason, e.sourceDraftId])).toEqual(
      first.events.map((e) => [e.eventId, e.outcome, e.reason, e.sourceDraftId]),
    );
    expect(h.shop.stats.mutations).toBe(mutations);
    const deleted = next(r, '2026-01-01T12:00:00Z', { action: 'DELETE', draft: null });
    const del = await h.apply(deleted);
    expect((await h.apply(deleted)).events.map((e) => e.eventId)).toEqual(del.events.map((e) => e.eventId));
  });

  it('deletes the source copy, and keeps a tombstone that skips late updates', async () => {
    const r = record();
    await h.apply(r);
    const del = next(r, '2026-01-01T12:00:00Z', { action: 'DELETE', draft: null });
    expect(outcomes(await h.apply(del))).toEqual(['DELETED']);
    expect(draftsTagged(r.key)).toHaveLength(0);
    const late = await h.apply(next(r, '2026-01-01T11:00:00Z'));
    expect(late.events.map((e) => [e.outcome, e.reason])).toEqual([['SKIPPED', 'STALE']]);
    expect(draftsTagged(r.key)).toHaveLength(0);
  });

  it('a delete of a copy someone already deleted counts as done', async () => {
    const r = record();
    const created = await h.apply(r);
    h.shop.deleteDraft(Number(created.events[0]?.sourceDraftId?.split('/').pop()));
    const result = await h.apply(next(r, '2026-01-01T12:00:00Z', { action: 'DELETE', draft: null }));
    expect(result.events.map((e) => [e.outcome, e.reason])).toEqual([['DELETED', 'source copy was already gone']]);
  });

  it('recreates a source copy deleted by someone, and says so', async () => {
    const r = record();
    const created = await h.apply(r);
    h.shop.deleteDraft(Number(created.events[0]?.sourceDraftId?.split('/').pop()));
    const result = await h.apply(next(r, '2026-01-01T11:00:00Z'));
    expect(outcomes(result)).toEqual(['RECREATED']);
    expect(result.events[0]?.sourceDraftId).not.toBe(created.events[0]?.sourceDraftId);
    expect(draftsTagged(r.key)).toHaveLength(1);
  });

  it('completed origin: tags the source copy, then never updates it', async () => {
    const r = record();
    await h.apply(r);
    const done = await h.apply(next(r, '2026-01-01T12:00:00Z', { action: 'COMPLETE' }));
    expect(outcomes(done)).toEqual(['COMPLETED']);
    expect(draftsTagged(r.key)[0]?.tags).toContain('origin-completed');
    const after = await h.apply(next(r, '2026-01-01T13:00:00Z', {}, { note: 'changed' }));
    expect(after.events.map((e) => [e.outcome, e.reason])).toEqual([['SKIPPED', 'source copy is completed']]);
    expect(draftsTagged(r.key)[0]?.note).toBe('from eu-brand #D42');
  });

  it('completed origin with onCompleted DELETE: deletes the source copy', async () => {
    const r = record({ onCompleted: 'DELETE' });
    await h.apply(r);
    const done = await h.apply(next(r, '2026-01-01T12:00:00Z', { action: 'COMPLETE' }));
    expect(outcomes(done)).toEqual(['COMPLETED']);
    expect(draftsTagged(r.key)).toHaveLength(0);
  });

  it('a source copy completed in the source store is never updated', async () => {
    const r = record();
    const created = await h.apply(r);
    h.shop.completeDraft(Number(created.events[0]?.sourceDraftId?.split('/').pop()));
    const result = await h.apply(next(r, '2026-01-01T11:00:00Z', {}, { note: 'changed' }));
    expect(result.events.map((e) => [e.outcome, e.reason])).toEqual([['SKIPPED', 'source copy is completed']]);
    expect((await h.links.get(r.key)).status).toBe('COMPLETED');
  });

  it('sends the invoice once when asked and there is a recipient', async () => {
    const r = record({ sendInvoice: true });
    const result = await h.apply(r);
    expect(outcomes(result)).toEqual(['CREATED', 'INVOICE_SENT']);
    const [draft] = draftsTagged(r.key);
    expect(draft?.status).toBe('INVOICE_SENT');
    expect(outcomes(await h.apply(next(r, '2026-01-01T11:00:00Z')))).toEqual(['UPDATED']);
    expect((await h.links.get(r.key)).invoiceSent).toBe(true);
  });

  it('reports why no invoice went out when there is no recipient', async () => {
    const r = record({ sendInvoice: true }, { email: null, customer: null });
    const result = await h.apply(r);
    expect(outcomes(result)).toEqual(['CREATED', 'INVOICE_SKIPPED']);
    expect(result.events[1]?.reason).toMatch(/no recipient/);
    expect(draftsTagged(r.key)[0]?.status).toBe('OPEN');
  });

  it('a create whose reply was lost is resolved by tag search: exactly one source draft', async () => {
    const r = record();
    h.shop.failNext('lostReply', 1, 'mutation');
    const result = await h.apply(r);
    expect(outcomes(result)).toEqual(['CREATED']);
    expect(h.shop.stats.lostReplies).toBe(1);
    expect(draftsTagged(r.key)).toHaveLength(1);
    expect((await h.links.get(r.key)).sourceDraftId).toBe(result.events[0]?.sourceDraftId);
  });

  it('an intent left by a crash between create and link write leads to adoption, not a second create', async () => {
    const r = record();
    // The crashed writer: intent recorded, create went through, link never written.
    await h.links.recordCreateIntent(r.key, Date.now(), { generation: 0, version: r.version });
    const crashed = h.shop.createDraft({ lineItems: [{ variantId: red, quantity: 5 }], tags: [syncTagFor(r.key)] });
    const result = await h.apply(r);
    expect(outcomes(result)).toEqual(['CREATED']);
    expect(result.events[0]?.sourceDraftId).toBe(`gid://shopify/DraftOrder/${crashed.id}`);
    const drafts = draftsTagged(r.key);
    expect(drafts).toHaveLength(1);
    // The adopted copy is brought to this record's content.
    expect(drafts[0]?.lines.map((l) => l.quantity)).toEqual([1, 2]);
    expect(await h.links.get(r.key)).toMatchObject({ createIntentAt: null, appliedVersion: r.version });
  });

  it("an update of ours the link never heard of (crash before the link write) is not taken for someone else's edit", async () => {
    const copyStates = new CopyStates({ storeFor: h.deps.storeFor });
    const withEditCheck = { ...h.deps, copyStates };
    const edited = async (mark: 'ours' | 'theirs'): Promise<string[]> => {
      const r = record({ onSourceEdited: 'FLAG' });
      await applyMapped(r, withEditCheck);
      const copy = draftsTagged(r.key)[0]!;
      await nextSecond();
      // The copy changes after our last recorded write: by a write of ours whose link write
      // was lost (its intent is still there), or by someone else (no intent).
      if (mark === 'ours') await h.links.recordWriteIntent(r.key, Date.now(), { generation: 0, version: '2026-03-01T10:00:00Z' });
      h.shop.updateDraft(copy.id, { note: `changed by ${mark}` });
      const result = await applyMapped(next(r, '2026-03-01T10:00:00Z', { onSourceEdited: 'FLAG' }, { note: 'v2' }), withEditCheck);
      return result.events.map((e) => `${e.outcome}${e.reason ? ` ${e.reason.split(':')[0]}` : ''}`);
    };
    expect(await edited('ours')).toEqual(['UPDATED']);
    expect(await edited('theirs')).toEqual(['SKIPPED SOURCE_EDITED']);
  });

  it('a create that went out after a newer writer took the key is deleted again (fenced after the send)', async () => {
    const r = record();
    let successorCopy = '';
    // The successor writes its link (a newer generation, its own copy) while our create is on the wire.
    const api: AdminGraphql = {
      shop: SOURCE_SHOP,
      async call<T>(operation: string, document: string, variables: Record<string, unknown>, options?: CallOptions) {
        const result = await h.client.call<T>(operation, document, variables, options);
        if (operation === 'DraftOrderCreate' && !successorCopy) {
          successorCopy = `gid://shopify/DraftOrder/${h.shop.createDraft({ lineItems: [{ variantId: red, quantity: 1 }], tags: [syncTagFor(r.key)] }).id}`;
          await h.links.write(r.key, { ...NO_LINK, sourceDraftId: successorCopy, appliedVersion: r.version }, 9);
        }
        return result;
      },
    };
    const store = new SourceStore(api);
    const fence = { generation: 5, claimedAt: Date.now(), check: async () => undefined };
    await expect(applyMapped(r, { ...h.deps, storeFor: () => store, fence })).rejects.toBeInstanceOf(LinkWriteRefused);
    expect(draftsTagged(r.key).map((d) => `gid://shopify/DraftOrder/${d.id}`)).toEqual([successorCopy]);
    expect(await h.links.get(r.key)).toMatchObject({ sourceDraftId: successorCopy, generation: 9 });
  });

  it('an intent whose create never happened creates once', async () => {
    const r = record();
    await h.links.recordCreateIntent(r.key, Date.now(), { generation: 0, version: r.version });
    expect(outcomes(await h.apply(r))).toEqual(['CREATED']);
    expect(draftsTagged(r.key)).toHaveLength(1);
  });

  it('an invalid variant fails permanently with the userErrors as reason', async () => {
    const r = record({}, {
      lines: [{ kind: 'variant', sourceVariantId: 'gid://shopify/ProductVariant/999999', quantity: 1, priceOverride: null, customAttributes: [], appliedDiscount: null }],
    });
    const result = await h.apply(r);
    expect(outcomes(result)).toEqual(['FAILED']);
    expect(result.dlqReason).toMatch(/^draftOrderCreate: userErrors: .*no longer available/);
    expect(result.events[0]?.reason).toBe(result.dlqReason);
    expect(draftsTagged(r.key)).toHaveLength(0);
    expect((await h.links.get(r.key)).createIntentAt).toBeNull();
  });

  it('rides out a 5xx burst and a dropped connection with retries', async () => {
    const r = record();
    await h.apply(r);
    h.shop.failNext('serverError', 3, 'any', 503);
    h.shop.failNext('drop', 1, 'any');
    expect(outcomes(await h.apply(next(r, '2026-01-01T11:00:00Z', {}, { note: 'after burst' })))).toEqual(['UPDATED']);
    expect(draftsTagged(r.key)[0]?.note).toBe('after burst');
  });

  it('waits out THROTTLED as Shopify implies and applies', async () => {
    h.shop.setThrottle({ currentlyAvailable: 0 });
    const r = record();
    const before = h.pacer.stats.throttled;
    expect(outcomes(await h.apply(r))).toEqual(['CREATED']);
    expect(h.pacer.stats.throttled).toBeGreaterThan(before);
    expect(draftsTagged(r.key)).toHaveLength(1);
  });

  it('SKIP records are reported with their reason and touch nothing', async () => {
    const r = record({ action: 'SKIP', skipReason: 'UNMAPPED', draft: null, missingVariants: ['4711'] });
    const result = await h.apply(r);
    expect(result.events.map((e) => [e.outcome, e.reason, e.missingVariants])).toEqual([['SKIPPED', 'UNMAPPED', ['4711']]]);
    expect(h.shop.stats.mutations).toBe(0);
  });
});
