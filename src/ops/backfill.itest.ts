// backfill and reconcile against the whole pipeline: drafts that never sent webhooks, a
// dropped webhook and a delete without one, fed through the Admin API listing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/wait.js';
import { runBackfill } from './backfill.js';
import { runReconcile, watermarkKey } from './reconcile.js';
import { CONNECTION, Pipeline } from '../../test/support/pipeline.js';

const BULK = Array.from({ length: 25 }, (_, i) => `BULK-${i}`);

describe('backfill', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await Pipeline.start('ops-backfill', { connection: { orderTrigger: false } });
    const bulk = { title: 'Bulk', options: ['N'], variants: BULK.map((sku, i) => ({ sku, price: '1.00', options: [String(i)] })) };
    p.source.seedProducts([bulk]);
    p.destination.seedProducts([bulk]);
    await p.mapAll();
    for (const sku of BULK) await p.mapSku(sku);
  });

  afterAll(async () => {
    await p?.close();
  });

  it('syncs drafts that never sent webhooks, paging through the Admin API', async () => {
    p.destination.setWebhookFaults({ dropRate: 1 });
    const drafts = Array.from({ length: 12 }, (_, i) => p.createDraft({ 'RED-TS-M': 1 + i }));
    // More lines than a listing page fetches per draft: fetched again on its own.
    const big = p.createDraft(Object.fromEntries(BULK.map((sku) => [sku, 1])));
    p.destination.setWebhookFaults({ dropRate: 0 });
    await p.sim.webhooks.idle();
    expect(drafts.every((d) => p.copiesOf(d.id).length === 0)).toBe(true);

    const summary = await runBackfill(p.infra, p.config, { shop: p.destination.shop });
    expect(summary).toMatchObject({ connectionId: CONNECTION, drafts: 13, orders: 0 });

    await waitFor('every draft synced', () => [...drafts, big].every((d) => p.copiesOf(d.id).length === 1), { timeoutMs: 30_000 });
    expect(p.copiesOf(drafts[4]!.id)[0]!.lines.map((l) => [l.sku, l.quantity])).toEqual([['RED-TS-M', 5]]);
    expect(p.copiesOf(big.id)[0]!.lines).toHaveLength(25);

    // Backfilled again: every version is applied already, no second copy, no write.
    const mutations = p.source.stats.mutations;
    const events = await p.eventCount();
    await runBackfill(p.infra, p.config, { shop: p.destination.shop });
    await waitFor('13 SKIPPED (STALE) events', async () => (await p.eventCount()) >= events + 13, { timeoutMs: 30_000 });
    expect(p.source.stats.mutations).toBe(mutations);
    expect([...drafts, big].every((d) => p.copiesOf(d.id).length === 1)).toBe(true);
  });
});

describe('backfill with the order trigger on', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await Pipeline.start('ops-backfill-orders', { connection: { orderTrigger: true } });
    await p.mapAll();
  });

  afterAll(async () => {
    await p?.close();
  });

  it('lists existing orders too and turns each into one source draft whose note names the order', async () => {
    p.destination.setWebhookFaults({ dropRate: 1 });
    const order = p.destination.placeOrder({
      email: 'ana@example.com',
      note: 'phone order',
      lineItems: [{ variantId: p.destination.variantBySku('BLUE-HD-M').gid, quantity: 3 }],
    });
    p.destination.setWebhookFaults({ dropRate: 0 });
    await p.sim.webhooks.idle();
    expect(p.copiesOf(order.id, 'order')).toHaveLength(0);

    const summary = await runBackfill(p.infra, p.config, { shop: p.destination.shop });
    expect(summary).toMatchObject({ connectionId: CONNECTION, orders: 1 });

    await waitFor('the order synced as a draft', () => p.copiesOf(order.id, 'order').length === 1, { timeoutMs: 30_000 });
    const copy = p.copiesOf(order.id, 'order')[0]!;
    expect(copy.lines.map((l) => [l.sku, l.quantity])).toEqual([['BLUE-HD-M', 3]]);
    expect(copy.note).toContain(`#${order.number}`);
  });
});

describe('reconcile', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await Pipeline.start('ops-reconcile');
    await p.mapAll();
  });

  afterAll(async () => {
    await p?.close();
  });

  it('catches a dropped webhook and a delete that sent none; the watermark is durable', async () => {
    const kept = p.createDraft({ 'RED-TS-S': 1 });
    const doomed = p.createDraft({ 'BLUE-HD-M': 1 });
    await waitFor('both synced', () => p.copiesOf(kept.id).length === 1 && p.copiesOf(doomed.id).length === 1, { timeoutMs: 30_000 });

    // First run: looks at everything, feeds nothing (all applied).
    const first = await runReconcile(p.infra, p.config);
    expect(first).toMatchObject([{ connectionId: CONNECTION, since: null, examined: 2, fedUpdates: 0, fedDeletes: 0 }]);
    expect(await p.redis.get(watermarkKey(p.names.opsPrefix, p.destination.shop))).not.toBeNull();

    p.destination.webhookFaults.dropNext(2);
    const missed = p.createDraft({ 'RED-TS-L': 4 });
    p.destination.deleteDraft(doomed.id);
    await p.sim.webhooks.idle();
    expect(p.copiesOf(missed.id)).toHaveLength(0);
    expect(p.copiesOf(doomed.id)).toHaveLength(1);

    const second = await runReconcile(p.infra, p.config, { shop: p.destination.shop });
    expect(second[0]!.since).not.toBeNull();
    expect(second[0]).toMatchObject({ fedUpdates: 1, fedDeletes: 1 });
    await waitFor('the missed draft synced and the deleted one gone', () => p.copiesOf(missed.id).length === 1 && p.copiesOf(doomed.id).length === 0, { timeoutMs: 30_000 });
    expect(p.copiesOf(missed.id)[0]!.lines.map((l) => [l.sku, l.quantity])).toEqual([['RED-TS-L', 4]]);
    expect(p.copiesOf(kept.id)).toHaveLength(1);

    // Once applied, nothing more to feed.
    await waitFor('tombstone written', async () => (await p.link(doomed.id)).status === 'DELETED');
    const third = await runReconcile(p.infra, p.config, { shop: p.destination.shop });
    expect(third[0]).toMatchObject({ fedUpdates: 0, fedDeletes: 0 });
  });
});
