// backfill and reconcile on a destination with more drafts than its pagination cap lets one
// cursor reach (lowered to 20, as Shopify's 25,000 would take a long test to reach): listed in
// updated_at windows, every draft fed exactly once — drafts sharing a second at a window's cut
// and a second holding more drafts than a window included — and synced once.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../simulator/core/clock.js';
import type { DraftOrder } from '../../simulator/store/model.js';
import { CONNECTION, Pipeline } from '../../test/support/pipeline.js';
import { rawEnvelopes } from '../../test/support/raw-envelopes.js';
import { SteppedClock } from '../../test/support/stepped-clock.js';
import { waitFor } from '../../test/support/wait.js';
import { runBackfill } from './backfill.js';
import type { Progress } from './progress.js';
import { runReconcile } from './reconcile.js';

const CAP = 20;
/** Drafts per updated_at second: 75 in all, one second holding more than a window. */
const LAYOUT = [3, 1, 25, 2, 8, 1, 5, 7, 4, 6, 3, 10];

// The pipeline's simulator runs on the system clock; this one moves it forward a second at a time.
const clock = new SteppedClock();
vi.spyOn(systemClock, 'now').mockImplementation(() => clock.now());

/** The layout's drafts; `delivered(group)`: whether that second's webhooks reach ingest. */
function createDrafts(p: Pipeline, delivered: (group: number) => boolean = () => false): DraftOrder[] {
  const drafts: DraftOrder[] = [];
  LAYOUT.forEach((n, group) => {
    p.destination.setWebhookFaults({ dropRate: delivered(group) ? 0 : 1 });
    clock.inNextSecond(() => {
      for (let i = 0; i < n; i++) drafts.push(p.createDraft({ 'RED-TS-M': 1 + (drafts.length % 4) }));
    });
  });
  p.destination.setWebhookFaults({ dropRate: 0 });
  return drafts;
}

function recordingProgress(details: string[]): Progress {
  return {
    start() {},
    setTotal() {},
    stop() {},
    update(_done, detail) {
      if (detail) details.push(detail);
    },
  };
}

const distinct = (ids: readonly (string | number)[]): string[] => [...new Set(ids.map(String))].sort();

describe('backfill past the pagination cap', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await Pipeline.start('ops-backfill-windows', { connection: { orderTrigger: false } });
    await p.mapAll();
    p.destination.setLimits({ paginationLimit: CAP });
  });

  afterAll(async () => {
    await p?.close();
  });

  it('lists 75 drafts in windows of 20, feeds each exactly once and syncs each once', async () => {
    const drafts = createDrafts(p);
    await p.sim.webhooks.idle();
    expect(drafts.filter((d) => p.copiesOf(d.id).length > 0)).toHaveLength(0);

    const details: string[] = [];
    // The listing starts after the last draft on the store's clock: bounded windows do the work.
    const opts = { shop: p.destination.shop, windowRecords: CAP, now: () => clock.now() };
    const summary = await runBackfill(p.infra, p.config, opts, recordingProgress(details));
    expect(summary).toMatchObject({ connectionId: CONNECTION, drafts: 75, orders: 0 });

    const fed = await rawEnvelopes(p, 'backfill');
    expect(fed).toHaveLength(75);
    expect(distinct(fed.map((e) => e.originId))).toEqual(distinct(drafts.map((d) => d.id)));
    // 8 windows: 4 cut at 20, the crowded second paged by id, the rest, the (empty) open window.
    expect(details.some((d) => /^drafts window 7 \(.+ → .+\): 13 records; published \d+ drafts, 0 orders$/.test(d))).toBe(true);
    expect(details.some((d) => /^drafts window 4 \(.+, ids ≥ \d+\): 5 records; /.test(d))).toBe(true);
    expect(details.some((d) => d.startsWith('drafts window 8 (') && d.includes('→ now): 0 records'))).toBe(true);

    await waitFor('every draft synced', () => drafts.every((d) => p.copiesOf(d.id).length === 1), { timeoutMs: 60_000 });
    await waitFor('75 CREATED events', async () => (await p.eventCount()) >= 75, { timeoutMs: 30_000 });
    expect(p.source.store.drafts()).toHaveLength(75);
  });
});

describe('reconcile past the pagination cap', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await Pipeline.start('ops-reconcile-windows');
    await p.mapAll();
    p.destination.setLimits({ paginationLimit: CAP });
  });

  afterAll(async () => {
    await p?.close();
  });

  it('first run (no watermark): examines all 75 in windows of 12 and feeds each unapplied draft once', async () => {
    // The 8 drafts of the fifth second reach the pipeline by webhook; the other 67 never do.
    const drafts = createDrafts(p, (group) => group === 4);
    const applied = drafts.slice(31, 39);
    await waitFor('the delivered drafts synced', () => applied.every((d) => p.copiesOf(d.id).length === 1), { timeoutMs: 30_000 });
    const missed = drafts.filter((d) => !applied.includes(d));
    expect(missed.filter((d) => p.copiesOf(d.id).length > 0)).toHaveLength(0);

    // The store's clock runs ~12 s ahead of ours here: the drafts all land in the open window.
    const details: string[] = [];
    const [result] = await runReconcile(p.infra, p.config, { shop: p.destination.shop, windowRecords: 12 }, recordingProgress(details));
    expect(result).toMatchObject({ connectionId: CONNECTION, since: null, examined: 75, fedUpdates: 67, fedDeletes: 0 });

    const fed = await rawEnvelopes(p, 'reconcile');
    expect(fed).toHaveLength(67);
    expect(distinct(fed.map((e) => e.originId))).toEqual(distinct(missed.map((d) => d.id)));
    expect(details.some((d) => /^window \d+ \(.+, ids ≥ \d+\): \d+ records?; fed \d+$/.test(d))).toBe(true);

    await waitFor('every draft synced', () => drafts.every((d) => p.copiesOf(d.id).length === 1), { timeoutMs: 60_000 });
    expect(p.source.store.drafts()).toHaveLength(75);
  });
});
