import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTestRedis, type TestRedis } from '../../test/support/writer-redis.js';
import { NO_LINK, type Link } from './link.js';
import { LinkStore, LinkWriteRefused } from './link-store.js';

describe('LinkStore (real Redis)', () => {
  let t: TestRedis;
  let store: LinkStore;
  beforeAll(async () => {
    t = await connectTestRedis('links');
    store = new LinkStore(t.redis, { prefix: t.prefix, tombstoneTtlSeconds: 3600 });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const link: Link = {
    sourceDraftId: 'gid://shopify/DraftOrder/9',
    sourceDraftName: '#D9',
    appliedVersion: '2026-01-01T10:00:00Z',
    invoiceSent: true,
    status: 'OPEN',
    createIntentAt: null,
    writeIntentAt: null,
    replay: { rawId: 'raw-9', events: [{ outcome: 'CREATED', reason: null }, { outcome: 'INVOICE_SKIPPED', reason: 'no recipient' }] },
    generation: 0,
    fingerprint: 'fp-1',
    copyUpdatedAt: '2026-01-01T10:00:01Z',
    sourceEdited: null,
  };

  it('reads NO_LINK for an unknown key', async () => {
    expect(await store.get('eu/draft/unknown')).toEqual(NO_LINK);
  });

  it('round-trips a link', async () => {
    await store.write('eu/draft/1', link);
    expect(await store.get('eu/draft/1')).toEqual(link);
  });

  it('an intent recorded before a create survives until the link write clears it', async () => {
    await store.recordCreateIntent('eu/draft/2', 1234, { generation: 3, version: '2026-01-01T09:00:00Z' });
    expect(await store.get('eu/draft/2')).toEqual({ ...NO_LINK, createIntentAt: 1234, generation: 3 });
    await store.write('eu/draft/2', link, 3);
    expect((await store.get('eu/draft/2')).createIntentAt).toBeNull();
  });

  it('keeps a tombstone with the delete version, expiring', async () => {
    const tombstone: Link = { ...link, status: 'DELETED', appliedVersion: '2026-02-01T00:00:00Z' };
    await store.write('eu/draft/3', tombstone);
    expect(await store.get('eu/draft/3')).toEqual(tombstone);
    const ttl = await t.redis.ttl(store.redisKey('eu/draft/3'));
    expect(ttl).toBeGreaterThan(3500);
    expect(await t.redis.ttl(store.redisKey('eu/draft/1'))).toBe(-1);
  });

  describe('compare-and-set', () => {
    const at = (version: string): Link => ({ ...link, appliedVersion: version });
    const refusal = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof LinkWriteRefused ? e.refusal : String(e)));

    it('refuses a write of an older generation, whatever its version', async () => {
      await store.write('cas/1', at('2026-01-01T10:00:00Z'), 7);
      expect(await refusal(store.write('cas/1', at('2026-01-01T11:00:00Z'), 6))).toBe('FENCED');
      expect(await refusal(store.recordCreateIntent('cas/1', 1, { generation: 6, version: '2026-01-01T11:00:00Z' }))).toBe('FENCED');
      expect((await store.get('cas/1')).appliedVersion).toBe('2026-01-01T10:00:00Z');
    });

    it('refuses an older version, also from a newer generation', async () => {
      await store.write('cas/2', at('2026-01-01T10:00:00Z'), 7);
      expect(await refusal(store.write('cas/2', at('2026-01-01T09:59:59Z'), 8))).toBe('OLDER');
      expect(await refusal(store.recordCreateIntent('cas/2', 1, { generation: 8, version: '2026-01-01T09:00:00Z' }))).toBe('OLDER');
      expect((await store.get('cas/2')).generation).toBe(7);
    });

    it('accepts the same generation and version (a forced resync, an invoice step) and newer ones', async () => {
      await store.write('cas/3', at('2026-01-01T10:00:00Z'), 7);
      expect(await refusal(store.write('cas/3', at('2026-01-01T10:00:00Z'), 7))).toBe('OK');
      // Instants, not text: the same second written with an offset is not older.
      expect(await refusal(store.write('cas/3', at('2026-01-01T12:00:00+02:00'), 7))).toBe('OK');
      expect(await refusal(store.write('cas/3', at('2026-01-01T10:00:01Z'), 9))).toBe('OK');
      expect(await store.get('cas/3')).toMatchObject({ appliedVersion: '2026-01-01T10:00:01Z', generation: 9 });
    });

    it('an intent keeps the applied fields and takes the generation', async () => {
      await store.write('cas/4', at('2026-01-01T10:00:00Z'), 7);
      await store.recordCreateIntent('cas/4', 99, { generation: 8, version: '2026-01-01T10:00:05Z' });
      expect(await store.get('cas/4')).toEqual({ ...at('2026-01-01T10:00:00Z'), createIntentAt: 99, generation: 8 });
    });

    it('a link written without a generation (operator tools) never overwrites a writer\'s', async () => {
      await store.write('cas/5', at('2026-01-01T10:00:00Z'), 1);
      expect(await refusal(store.write('cas/5', at('2026-01-01T10:00:00Z')))).toBe('FENCED');
    });
  });

  it('reads a batch of keys in one pipelined round trip', async () => {
    const pipeline = vi.spyOn(t.redis, 'pipeline');
    const hgetall = vi.spyOn(t.redis, 'hgetall');
    const links = await store.getMany(['eu/draft/1', 'eu/draft/unknown', 'eu/draft/3']);
    expect(pipeline).toHaveBeenCalledTimes(1);
    expect(hgetall).not.toHaveBeenCalled();
    expect(links.get('eu/draft/1')).toEqual(link);
    expect(links.get('eu/draft/unknown')).toEqual(NO_LINK);
    expect(links.get('eu/draft/3')?.status).toBe('DELETED');
    pipeline.mockRestore();
    hgetall.mockRestore();
  });
});
