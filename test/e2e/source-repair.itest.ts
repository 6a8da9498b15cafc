// Repairs from the source store's side: copies deleted by hand come back with one write each
// (reconcile --source, replay --force), at the version their link says is applied — also when
// newer versions were skipped as unmapped — and nothing is written where nothing is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftOrderSyncEvent } from '../../src/contracts/sync-event.js';
import { keyOf, syncTagFor } from '../../src/domain/keys.js';
import { runReplay } from '../../src/ops/replay/replay.js';
import { runSourceReconcile, type SourceReconcileResult } from '../../src/ops/source-reconcile.js';
import type { DraftOrder } from '../../simulator/store/model.js';
import { Pipeline, DESTINATION } from '../support/pipeline.js';
import { testKafka, testRegistry } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { collectEvents, type TopicCollector } from '../support/writer-topics.js';

async function nextSecond(): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await waitFor('the next second', () => Math.floor(Date.now() / 1000) > now, { intervalMs: 20 });
}

describe('repairing lost copies (reconcile --source, replay --force)', () => {
  let p: Pipeline;
  let events: TopicCollector<DraftOrderSyncEvent>;
  /** v1 synced, v2 skipped as unmapped (BLUE-HD-L has no mapping). */
  let partly: DraftOrder;
  const synced: DraftOrder[] = [];

  beforeAll(async () => {
    p = await Pipeline.start('source-repair');
    await p.mapAll(['RED-TS-S', 'RED-TS-M', 'RED-TS-L', 'BLUE-HD-M']);
    events = await collectEvents(testKafka('source-repair-events'), testRegistry(), p.topics);
    for (let i = 0; i < 3; i++) synced.push(p.createDraft({ 'RED-TS-M': i + 1 }, { note: `copy ${i}` }));
    partly = p.createDraft({ 'RED-TS-S': 1 }, { note: 'v1' });
    await waitFor('every copy', () => [...synced, partly].every((d) => p.copiesOf(d.id).length === 1), { timeoutMs: 30_000 });
    await nextSecond();
    const v2 = p.destination.updateDraft(partly.id, {
      note: 'v2',
      lineItems: [
        { variantId: p.destination.variantBySku('RED-TS-S').gid, quantity: 1 },
        { variantId: p.destination.variantBySku('BLUE-HD-L').gid, quantity: 1 },
      ],
    });
    const key = keyOf({ shop: DESTINATION, kind: 'draft', id: String(partly.id), name: null });
    await waitFor('v2 skipped as unmapped', () => events.items.some((e) => e.key === key && e.reason === 'UNMAPPED' && Date.parse(e.version) === Math.floor(v2.updatedAt / 1000) * 1000), {
      timeoutMs: 30_000,
    });
  });
  afterAll(async () => {
    await events?.stop();
    await p?.close();
  });

  const mutations = (): number => p.source.stats.mutations;
  const copyOf = (d: DraftOrder): DraftOrder | undefined => p.copiesOf(d.id)[0];
  const deleteCopy = (d: DraftOrder): void => p.source.deleteDraft(copyOf(d)!.id);
  const reconcileSource = async (): Promise<SourceReconcileResult> => {
    const [result] = await runSourceReconcile(p.infra, p.config, { waitMs: 30_000 });
    return result!;
  };

  it('a forced replay of a healthy store writes nothing', async () => {
    const before = mutations();
    const summary = await runReplay(p.infra, p.config, { fromMs: 0, force: true, waitMs: 30_000, shop: DESTINATION });
    expect(summary.redriven).toBeGreaterThan(0);
    expect(mutations() - before).toBe(0);
  });

  it('the v1-synced, v2-unmapped copy deleted comes back at v1: by replay --force, and by reconcile --source', async () => {
    const expectBackAtV1 = async (): Promise<void> => {
      await waitFor('the copy back', () => copyOf(partly), { timeoutMs: 30_000 });
      expect(p.copiesOf(partly.id)).toHaveLength(1);
      expect(copyOf(partly)?.note).toBe('v1');
      expect(copyOf(partly)?.lines).toHaveLength(1);
    };
    deleteCopy(partly);
    let before = mutations();
    await runReplay(p.infra, p.config, { fromMs: 0, force: true, waitMs: 30_000, shop: DESTINATION });
    await expectBackAtV1();
    expect(mutations() - before).toBe(1);

    deleteCopy(partly);
    before = mutations();
    expect((await reconcileSource()).gone).toHaveLength(1);
    await expectBackAtV1();
    expect(mutations() - before).toBe(1);
  });

  it('reconcile --source recreates deleted copies with one write each, reports edits and orphans; run twice, the second writes nothing', async () => {
    deleteCopy(synced[0]!);
    deleteCopy(synced[1]!);
    await nextSecond();
    p.source.updateDraft(copyOf(synced[2]!)!.id, { note: 'edited by the central team' });
    const orphanTag = syncTagFor(`${DESTINATION}/draft/424242`);
    p.source.createDraft({ tags: [orphanTag], lineItems: [{ variantId: p.source.variantBySku('RED-TS-L').gid, quantity: 1 }] });

    const before = mutations();
    const first = await reconcileSource();
    expect(first.gone.map((g) => g.key).sort()).toEqual([synced[0]!, synced[1]!].map((d) => `${DESTINATION}/draft/${d.id}`).sort());
    expect(first.edited.map((e) => e.key)).toEqual([`${DESTINATION}/draft/${synced[2]!.id}`]);
    expect(first.orphans.map((o) => o.tag)).toEqual([orphanTag]);
    await waitFor('both copies back', () => copyOf(synced[0]!) && copyOf(synced[1]!), { timeoutMs: 30_000 });
    expect(mutations() - before).toBe(2);
    expect(copyOf(synced[0]!)?.note).toBe('copy 0');
    expect(p.copiesOf(synced[0]!.id)).toHaveLength(1);

    const again = mutations();
    const second = await reconcileSource();
    expect(second.gone).toEqual([]);
    expect(second.redriven).toBe(0);
    expect(mutations() - again).toBe(0);
  });
});
