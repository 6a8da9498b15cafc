// The partition runner end to end without Kafka: scheduler → applyMapped (simulator + Redis)
// → published outcomes, with coalescing and the committable offset.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import { syncTagFor } from '../../../../src/domain/keys.js';
import { mappedRecord, sourceDraft } from '../../../../test/support/mapped-fixtures.js';
import { startWriterHarness, type WriterHarness } from '../../../../test/support/writer-harness.js';
import { applyMapped } from '../apply/apply-mapped.js';
import { PartitionRunner, type RecordOutcome } from './partition-runner.js';

let h: WriterHarness;
let variant: string;
beforeAll(async () => {
  h = await startWriterHarness('runner');
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sim.reset();
  h.shop.seedProducts([{ title: 'Red T-Shirt', variants: [{ sku: 'RED', price: '10.00' }] }]);
  variant = h.shop.variantBySku('RED').gid;
});

function version(id: string, minute: number, quantity: number, overrides: Partial<MappedDraftOrder> = {}): MappedDraftOrder {
  return mappedRecord({
    origin: { shop: 'eu-brand.myshopify.com', kind: 'draft', id, name: null },
    version: `2026-01-01T10:${String(minute).padStart(2, '0')}:00Z`,
    rawId: `raw-${id}-${minute}`,
    draft: sourceDraft({
      customer: null,
      email: null,
      lines: [{ kind: 'variant', sourceVariantId: variant, quantity, priceOverride: null, customAttributes: [], appliedDiscount: null }],
    }),
    ...overrides,
  });
}

describe('PartitionRunner', () => {
  it('applies a backlog with repeated updates: newest per key, coalesced ones reported, one write per draft', async () => {
    const published: RecordOutcome[] = [];
    const prefetch = vi.fn((keys: readonly string[]) => h.links.getMany(keys));
    const runner = new PartitionRunner({
      concurrency: 4,
      apply: (record, link) => applyMapped(record, h.deps, link),
      prefetch,
      publish: (outcomes) => {
        published.push(...outcomes);
        return Promise.resolve();
      },
    });
    const records: MappedDraftOrder[] = [];
    for (let minute = 0; minute < 5; minute++) for (const id of ['1', '2', '3', '4', '5', '6']) records.push(version(id, minute, minute + 1));
    // An out-of-order older delivery at the end must not win.
    records.push(version('1', 2, 99));
    await runner.push(records.map((value, i) => ({ offset: String(100 + i), key: value.key, value })));
    await runner.idle();

    expect(prefetch).toHaveBeenCalledTimes(1);
    expect(published).toHaveLength(records.length);
    expect(runner.committableOffset()).toBe(String(100 + records.length));
    for (const id of ['1', '2', '3', '4', '5', '6']) {
      const key = records.find((r) => r.origin.id === id)!.key;
      const drafts = h.shop.store.drafts().filter((d) => d.tags.includes(syncTagFor(key)));
      expect(drafts).toHaveLength(1);
      expect(drafts[0]?.lines[0]?.quantity).toBe(5);
    }
    const outcomes = published.flatMap((o) => o.events.map((e) => e.outcome));
    expect(outcomes.filter((o) => o === 'CREATED')).toHaveLength(6);
    // Coalescing keeps writes per draft well under the number of versions queued.
    expect(h.shop.stats.mutations).toBeLessThanOrEqual(6 * 2);
    expect(published.filter((o) => o.events[0]?.reason?.startsWith('STALE: coalesced')).length).toBeGreaterThan(0);
  });

  it('publishes before an offset becomes committable, and a failed publish stops the runner', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const runner = new PartitionRunner({
      concurrency: 2,
      apply: (record, link) => applyMapped(record, h.deps, link),
      publish: async () => {
        calls++;
        if (calls === 1) await gate;
        if (calls === 2) throw new Error('kafka down');
      },
    });
    const a = version('10', 0, 1);
    const b = version('11', 0, 1);
    await runner.push([
      { offset: '0', key: a.key, value: a },
      { offset: '1', key: b.key, value: b },
    ]);
    const idle = runner.idle();
    await expect(idle).rejects.toThrow('kafka down');
    expect(runner.committableOffset()).toBeNull();
    release();
  });
});
