import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTestRedis, type TestRedis } from '../../test/support/writer-redis.js';
import { NO_LINK, type Link } from './link.js';
import { LinkStore } from './link-store.js';

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
    replay: { rawId: 'raw-9', events: [{ outcome: 'CREATED', reason: null }, { outcome: 'INVOICE_SKIPPED', reason: 'no recipient' }] },
  };

  it('reads NO_LINK for an unknown key', async () => {
    expect(await store.get('eu/draft/unknown')).toEqual(NO_LINK);
  });

  it('round-trips a link', async () => {
    await store.write('eu/draft/1', link);
    expect(await store.get('eu/draft/1')).toEqual(link);
  });

  it('an intent recorded before a create survives until the link write clears it', async () => {
    await store.recordCreateIntent('eu/draft/2', 1234);
    expect(await store.get('eu/draft/2')).toEqual({ ...NO_LINK, createIntentAt: 1234 });
    await store.write('eu/draft/2', link);
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
