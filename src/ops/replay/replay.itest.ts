// replay against the whole pipeline (simulated stores → ingest → mapper → writer, real Kafka,
// registry and Redis): restores lost copies exactly once, costs no Shopify write when nothing
// changed, leaves live traffic intact, and syncs a draft once its missing mapping exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait.js';
import { CONNECTION, Pipeline } from '../../../test/support/pipeline.js';
import { runReplay } from './replay.js';

describe('replay', () => {
  let p: Pipeline;
  const testStart = Date.now() - 1000;

  beforeAll(async () => {
    p = await Pipeline.start('ops-replay');
    await p.mapAll();
  });

  afterAll(async () => {
    await p?.close();
  });

  const synced = (ids: readonly number[]): Promise<boolean> => waitFor(`copies of ${ids.join(',')}`, () => ids.every((id) => p.copiesOf(id).length === 1), { timeoutMs: 30_000 });

  it('restores copies the source store lost (--force), each exactly once', async () => {
    const drafts = [p.createDraft({ 'RED-TS-M': 1, 'BLUE-HD-L': 2 }), p.createDraft({ 'RED-TS-L': 3 }), p.createDraft({ 'BLUE-HD-M': 1 })];
    const ids = drafts.map((d) => d.id);
    await synced(ids);
    for (const id of ids) p.source.deleteDraft(p.copiesOf(id)[0]!.id);
    expect(ids.map((id) => p.copiesOf(id).length)).toEqual([0, 0, 0]);

    const summary = await runReplay(p.infra, p.config, { fromMs: testStart, force: true, waitMs: 30_000 });
    expect(summary.redriven).toBe(3);
    expect(summary.outcomes).toMatchObject({ applied: { RECREATED: 3 }, failed: {}, pending: 0 });
    expect(ids.map((id) => p.copiesOf(id).length)).toEqual([1, 1, 1]);
    const copy = p.copiesOf(ids[0]!)[0]!;
    expect(copy.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['RED-TS-M', 1],
      ['BLUE-HD-L', 2],
    ]);

    // Forced again: every copy exists with the applied content, so nothing is written.
    const mutations = p.source.stats.mutations;
    const again = await runReplay(p.infra, p.config, { fromMs: testStart, shop: p.destination.shop, force: true, waitMs: 30_000 });
    expect(again.redriven).toBe(3);
    expect(again.outcomes).toMatchObject({ applied: {}, failed: {}, pending: 0 });
    expect(p.source.stats.mutations).toBe(mutations);
    expect(ids.map((id) => p.copiesOf(id).length)).toEqual([1, 1, 1]);
  });

  it('with nothing changed re-drives nothing and makes no Shopify call', async () => {
    const before = { ...p.source.stats };
    const summary = await runReplay(p.infra, p.config, { fromMs: testStart, force: false, waitMs: 5_000 });
    expect(summary.scanned).toBeGreaterThanOrEqual(3);
    expect(summary.redriven).toBe(0);
    expect(summary.notReplayed.already_applied).toBe(3);
    expect(summary.outcomes).toMatchObject({ applied: {}, skipped: {}, failed: {}, pending: 0 });
    expect(p.source.stats.mutations).toBe(before.mutations);
    expect(p.source.stats.requests).toBe(before.requests);
  });

  it('runs beside live traffic without losing or duplicating anything', async () => {
    const history = Array.from({ length: 20 }, (_, i) => p.createDraft({ 'RED-TS-S': 1 + (i % 3) }));
    await synced(history.map((d) => d.id));
    // Lose half the copies, then replay (forced) while new drafts arrive and others are deleted.
    const lost = history.slice(0, 10).map((d) => d.id);
    for (const id of lost) p.source.deleteDraft(p.copiesOf(id)[0]!.id);
    const replay = runReplay(p.infra, p.config, { fromMs: testStart, force: true, waitMs: 60_000 });
    const live = Array.from({ length: 15 }, (_, i) => p.createDraft({ 'BLUE-HD-M': 1 + (i % 2) }));
    const deleted = history.slice(15).map((d) => d.id);
    for (const id of deleted) p.destination.deleteDraft(id);
    const summary = await replay;
    expect(summary.outcomes?.failed).toEqual({});
    expect(summary.outcomes?.pending).toBe(0);

    await synced([...history.slice(0, 15).map((d) => d.id), ...live.map((d) => d.id)]);
    await waitFor('deleted drafts gone from the source', () => deleted.every((id) => p.copiesOf(id).length === 0), { timeoutMs: 30_000 });
    // Exactly one copy per live draft, with its lines.
    for (const d of live) {
      const copies = p.copiesOf(d.id);
      expect(copies).toHaveLength(1);
      expect(copies[0]!.lines.map((l) => l.quantity)).toEqual([d.lines[0]!.quantity]);
    }
    // No duplicates overall: every source draft is the copy of one destination draft.
    const tags = p.source.store.drafts().flatMap((d) => d.tags.filter((t) => t.startsWith('dos-')));
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('syncs a draft skipped as unmapped once the mapping exists (replay --force --shop)', async () => {
    await p.mappings.delete(CONNECTION, String(p.destination.variantBySku('RED-TS-L').id));
    const draft = p.createDraft({ 'RED-TS-L': 2, 'BLUE-HD-M': 1 });
    await waitFor('the draft recorded as unmapped', async () => (await p.mappings.unmapped(CONNECTION)).includes(String(p.destination.variantBySku('RED-TS-L').id)));
    expect(p.copiesOf(draft.id)).toHaveLength(0);

    await p.mapSku('RED-TS-L');
    const summary = await runReplay(p.infra, p.config, { fromMs: testStart, shop: p.destination.shop, force: true, waitMs: 30_000 });
    expect(summary.outcomes?.applied.CREATED).toBe(1);
    expect(summary.outcomes?.failed).toEqual({});
    const copies = p.copiesOf(draft.id);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['RED-TS-L', 2],
      ['BLUE-HD-M', 1],
    ]);
  });
});
