import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VariantKeys } from '../domain/product.js';
import { deleteByPrefix, type RedisClient } from '../shared/redis.js';
import { testRedis } from '../../test/support/infra.js';
import type { GraphqlRequest } from './fetch-variants.js';
import { rebuildConnectionMappings } from './rebuild.js';
import { RedisMappingStore } from './store.js';

describe('RedisMappingStore (real Redis)', () => {
  const prefix = `test:mapping:${Date.now().toString(36)}-${randomBytes(3).toString('hex')}:`;
  let redis: RedisClient;
  let store: RedisMappingStore;

  beforeAll(() => {
    redis = testRedis();
    store = new RedisMappingStore(redis, { prefix });
  });

  afterAll(async () => {
    // Only this run's keys.
    await deleteByPrefix(redis, prefix);
    await store.close();
    await redis.quit();
  });

  it('sets, gets, lists and deletes single mappings', async () => {
    await store.set('single', '45000000000001', '49000000000011');
    await store.set('single', '1152921504606846977', '1152921504606846999');
    expect(await store.get('single', '45000000000001')).toBe('49000000000011');
    expect(await store.get('single', '1152921504606846977')).toBe('1152921504606846999');
    expect(await store.get('single', 'nope')).toBeNull();
    const listed = [];
    for await (const entry of store.list('single')) listed.push(entry);
    expect(listed.sort()).toEqual([
      ['1152921504606846977', '1152921504606846999'],
      ['45000000000001', '49000000000011'],
    ]);
    expect(await store.delete('single', '45000000000001')).toBe(true);
    expect(await store.delete('single', '45000000000001')).toBe(false);
    expect(await store.get('single', '45000000000001')).toBeNull();
    expect(await redis.exists(`${prefix}map:{single}`)).toBe(1);
  });

  it('lists large connections page by page (HSCAN)', async () => {
    await store.replaceAll('large', Array.from({ length: 2500 }, (_, i) => [`d${i}`, `s${i}`] as const));
    let count = 0;
    for await (const [destination, source] of store.list('large')) {
      expect(source).toBe(destination.replace('d', 's'));
      count++;
    }
    expect(count).toBe(2500);
    expect(await store.count('large')).toBe(2500);
  });

  it('looks up a whole batch across connections in one pipelined round trip', async () => {
    await store.replaceAll('eu', [
      ['45000000000001', '49000000000011'],
      ['45000000000002', '49000000000022'],
    ]);
    await store.replaceAll('us', [['7', '70']]);
    const pipeline = vi.spyOn(redis, 'pipeline');
    const hmget = vi.spyOn(redis, 'hmget');
    const result = await store.lookupMany([
      { connectionId: 'eu', variantIds: ['45000000000001', '45000000000002', '45000000000003'] },
      { connectionId: 'us', variantIds: ['7', '8'] },
      { connectionId: 'empty', variantIds: [] },
    ]);
    expect(pipeline).toHaveBeenCalledTimes(1);
    expect(hmget).not.toHaveBeenCalled();
    pipeline.mockRestore();
    hmget.mockRestore();
    expect(result).toEqual(
      new Map([
        [
          'eu',
          new Map([
            ['45000000000001', '49000000000011'],
            ['45000000000002', '49000000000022'],
          ]),
        ],
        ['us', new Map([['7', '70']])],
        ['empty', new Map()],
      ]),
    );
    expect(await store.lookupMany([])).toEqual(new Map());
  });

  it('replaces all mappings atomically, keeping hand-set ones, leaving no staging keys or TTL', async () => {
    await store.replaceAll('rep', [
      ['old', 'x'],
      ['both', 'old-source'],
    ]);
    await store.set('rep', 'manual', 'by-hand');
    await store.recordUnmapped([{ connectionId: 'rep', variantIds: ['seen1', 'seen2'] }]);
    expect(await store.unmapped('rep')).toEqual(['seen1', 'seen2']);

    const report = { builtAt: '2026-03-01T00:00:00.000Z', matchBy: 'sku' as const, mapped: 2, unmatched: ['u1'], ambiguous: [{ key: 'DUP', destination: ['a'], source: ['b', 'c'] }] };
    expect(await store.replaceAll('rep', [['both', 'new-source'], ['new', 'y'], ['manual', 'built']], { report })).toEqual({ mappings: 3 });

    const all = new Map<string, string>();
    for await (const [d, s] of store.list('rep')) all.set(d, s);
    expect(all).toEqual(
      new Map([
        ['both', 'new-source'],
        ['new', 'y'],
        ['manual', 'by-hand'],
      ]),
    );
    expect(await store.report('rep')).toEqual(report);
    expect(await store.unmapped('rep')).toEqual([]);
    expect(await redis.pttl(`${prefix}map:{rep}`)).toBe(-1);
    const [, staging] = await redis.scan('0', 'MATCH', `${prefix}map:{rep}:tmp:*`, 'COUNT', 1000);
    expect(staging).toEqual([]);

    await store.delete('rep', 'manual');
    await store.replaceAll('rep', []);
    expect(await redis.exists(`${prefix}map:{rep}`)).toBe(0);
  });

  it('readers never see a half-written rebuild', async () => {
    const size = 20_000;
    const entries = (gen: string): [string, string][] => Array.from({ length: size }, (_, i) => [`d${i}`, `${gen}${i}`]);
    await store.replaceAll('atomic', entries('a'));
    let rebuilding = true;
    const observed = new Set<string>();
    const reader = (async (): Promise<void> => {
      while (rebuilding) {
        const found = await store.lookup('atomic', ['d0', `d${size - 1}`]);
        // Both ends always present, always of the same generation.
        const first = found.get('d0')?.[0];
        const last = found.get(`d${size - 1}`)?.[0];
        expect(first).toBeDefined();
        expect(first).toBe(last);
        observed.add(first!);
      }
    })();
    await store.replaceAll('atomic', entries('b'));
    rebuilding = false;
    await reader;
    expect(await store.get('atomic', 'd0')).toBe('b0');
    expect(observed.has('a')).toBe(true);
  });

  it('records unmapped variants of a batch in one round trip', async () => {
    const pipeline = vi.spyOn(redis, 'pipeline');
    await store.recordUnmapped([
      { connectionId: 'un1', variantIds: ['1', '2'] },
      { connectionId: 'un2', variantIds: ['3'] },
    ]);
    expect(pipeline).toHaveBeenCalledTimes(1);
    pipeline.mockRestore();
    expect(await store.unmapped('un1')).toEqual(['1', '2']);
    await store.set('un1', '1', 's1');
    expect(await store.unmapped('un1')).toEqual(['2']);
  });

  it('rebuilds from both stores and then follows product webhooks incrementally', async () => {
    const v = (id: string, productId: string, sku: string | null): VariantKeys => ({
      variantId: id,
      productId,
      sku,
      barcode: null,
      productHandle: null,
      options: [],
    });
    const requester = (variants: VariantKeys[]): GraphqlRequest => () =>
      Promise.resolve({
        productVariants: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: variants.map((x) => ({
            legacyResourceId: x.variantId,
            sku: x.sku,
            barcode: null,
            selectedOptions: [],
            product: { legacyResourceId: x.productId, handle: 'h' },
          })),
        },
      });
    const connection = { id: 'inc', variantMatch: 'sku' as const };
    const progress: string[] = [];
    const built = await rebuildConnectionMappings({
      connection,
      store,
      destination: requester([v('101', '1', 'RED'), v('102', '2', 'BLUE'), v('103', '3', 'NEW')]),
      source: requester([v('201', '10', 'RED'), v('202', '20', 'BLUE')]),
      onProgress: (side, p) => progress.push(`${side}:${p.variants}:${p.done}`),
      now: () => new Date('2026-03-01T00:00:00Z'),
    });
    expect(progress).toEqual(['destination:3:true', 'source:2:true']);
    expect(built.report).toEqual({ builtAt: '2026-03-01T00:00:00.000Z', matchBy: 'sku', mapped: 2, unmatched: ['103'], ambiguous: [] });
    expect(await store.lookup('inc', ['101', '102', '103'])).toEqual(
      new Map([
        ['101', '201'],
        ['102', '202'],
      ]),
    );

    // Ids: 10x destination, 20x source variants.
    // The source store creates a product with SKU NEW: 103 gets mapped.
    await store.applyProductChange(connection, 'source', { productId: '30', variants: [v('203', '30', 'NEW')] });
    expect(await store.get('inc', '103')).toBe('203');

    // A second source variant with SKU RED makes RED ambiguous: 101 is unmapped, not guessed.
    const plan = await store.applyProductChange(connection, 'source', { productId: '40', variants: [v('204', '40', 'RED')] });
    expect(plan.ambiguous).toEqual([{ key: 'RED', destination: ['101'], source: ['201', '204'] }]);
    expect(await store.get('inc', '101')).toBeNull();

    // The destination changes 102's SKU to NEW: ambiguous with 103 → both unmapped.
    await store.applyProductChange(connection, 'destination', { productId: '2', variants: [v('102', '2', 'NEW')] });
    expect(await store.lookup('inc', ['102', '103'])).toEqual(new Map());

    // A hand-set mapping is never overwritten by product changes.
    await store.set('inc', '102', '202');
    await store.applyProductChange(connection, 'source', { productId: '30', variants: [] });
    expect(await store.get('inc', '102')).toBe('202');

    // Deleting the duplicate source product makes RED unique again.
    await store.applyProductChange(connection, 'source', { productId: '40', variants: [] });
    expect(await store.get('inc', '101')).toBe('201');

    await store.clear('inc');
    const [, left] = await redis.scan('0', 'MATCH', `${prefix}map:{inc}*`, 'COUNT', 1000);
    expect(left).toEqual([]);
  });

  it('two mapper instances applying product changes of one connection at once lose none of them', async () => {
    // Each pair (destination product i, source product i) shares SKU-i; the two sides' webhooks
    // are applied at the same moment through two connections, as two mapper instances would.
    const other = testRedis();
    const instances = [store, new RedisMappingStore(other, { prefix })];
    try {
      const connection = { id: 'race', variantMatch: 'sku' as const };
      const variant = (id: string, productId: string, sku: string): VariantKeys => ({ variantId: id, productId, sku, barcode: null, productHandle: null, options: [] });
      const pairs = Array.from({ length: 40 }, (_, i) => i);
      await Promise.all(
        pairs.flatMap((i) => [
          instances[0]!.applyProductChange(connection, 'destination', { productId: `d${i}`, variants: [variant(`${100 + i}`, `d${i}`, `SKU-${i}`)] }),
          instances[1]!.applyProductChange(connection, 'source', { productId: `s${i}`, variants: [variant(`${900 + i}`, `s${i}`, `SKU-${i}`)] }),
        ]),
      );
      const mapped = await store.lookup('race', pairs.map((i) => `${100 + i}`));
      expect(pairs.filter((i) => mapped.get(`${100 + i}`) !== `${900 + i}`)).toEqual([]);
    } finally {
      await store.clear('race');
      await instances[1]!.close();
      await other.quit();
    }
  });
});
