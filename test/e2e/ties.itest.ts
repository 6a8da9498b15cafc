// Two changes of one draft within one second carry the same updated_at (Shopify's has whole
// seconds): create "first" and at once update it to "second" with another line. Delivered in
// order or in reverse, the copy must end equal to the destination's final state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftOrderSyncEvent } from '../../src/contracts/sync-event.js';
import { keyOf } from '../../src/domain/keys.js';
import type { DraftOrder } from '../../simulator/store/model.js';
import { Pipeline, DESTINATION } from '../support/pipeline.js';
import { testKafka, testRegistry } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { collectEvents, type TopicCollector } from '../support/writer-topics.js';

describe('two versions within one second (ties)', () => {
  let p: Pipeline;
  let events: TopicCollector<DraftOrderSyncEvent>;

  beforeAll(async () => {
    p = await Pipeline.start('ties');
    await p.mapAll();
    events = await collectEvents(testKafka('ties-events'), testRegistry(), p.topics);
  });
  afterAll(async () => {
    await events?.stop();
    await p?.close();
  });

  const keyOfDraft = (d: DraftOrder): string => keyOf({ shop: DESTINATION, kind: 'draft', id: String(d.id), name: null });
  const eventsOf = (d: DraftOrder): DraftOrderSyncEvent[] => events.items.filter((e) => e.key === keyOfDraft(d));

  /** Create and update at the start of a fresh second, so both share one updated_at. */
  async function createThenUpdateInOneSecond(): Promise<DraftOrder> {
    const second = Math.floor(Date.now() / 1000);
    await waitFor('a fresh second', () => Math.floor(Date.now() / 1000) > second, { intervalMs: 5 });
    const draft = p.createDraft({ 'RED-TS-M': 1 }, { note: 'first' });
    const updated = p.destination.updateDraft(draft.id, {
      note: 'second',
      lineItems: [
        { variantId: p.destination.variantBySku('RED-TS-M').gid, quantity: 1 },
        { variantId: p.destination.variantBySku('BLUE-HD-L').gid, quantity: 2 },
      ],
    });
    // The precondition of the test: one updated_at for both versions.
    expect(Math.floor(updated.updatedAt / 1000)).toBe(Math.floor(draft.createdAt / 1000));
    return updated;
  }

  function expectCopyEqualsDestination(origin: DraftOrder): void {
    const copies = p.copiesOf(origin.id);
    expect(copies).toHaveLength(1);
    const copy = copies[0]!;
    expect(copy.note).toBe('second');
    const skuOf = (variantId: number | null): string | null => p.source.store.variant(variantId ?? -1)?.sku ?? null;
    expect(copy.lines.map((l) => [skuOf(l.variantId), l.quantity])).toEqual([
      ['RED-TS-M', 1],
      ['BLUE-HD-L', 2],
    ]);
  }

  it('delivered in order: the update of the same second is applied, not dropped as stale', async () => {
    const origin = await createThenUpdateInOneSecond();
    await waitFor('both deliveries handled', () => eventsOf(origin).length >= 2, { timeoutMs: 30_000 });
    await waitFor('the copy equal to the destination', () => p.copiesOf(origin.id)[0]?.note === 'second', { timeoutMs: 10_000 });
    expectCopyEqualsDestination(origin);
    expect((await p.link(origin.id)).fingerprint).not.toBeNull();
  });

  it('delivered in reverse: the earlier content arriving last does not win', async () => {
    p.destination.setWebhookFaults({ holdAll: true });
    const origin = await createThenUpdateInOneSecond();
    p.destination.setWebhookFaults({ holdAll: false });
    expect(await p.sim.webhooks.release({ shop: DESTINATION, order: 'reverse' })).toBe(2);
    await waitFor('both deliveries handled', () => eventsOf(origin).length >= 2, { timeoutMs: 30_000 });
    expectCopyEqualsDestination(origin);
    // The late "first" found the copy already equal to the destination: nothing written for it.
    const outcomes = eventsOf(origin).map((e) => `${e.outcome}${e.reason ? ` ${e.reason}` : ''}`);
    expect(outcomes).toEqual(['CREATED', 'SKIPPED STALE: the copy already matches the destination']);
  });
});
