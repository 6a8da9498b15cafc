// Customer lookups by email: cached in memory and Redis, misses cached shorter, forgettable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../../simulator/simulator.js';
import { createSourceStores } from '../shopify/source-stores.js';
import type { SourceStore } from '../shopify/source-store.js';
import { connectTestRedis, type TestRedis } from '../../../../test/support/writer-redis.js';
import { CustomerResolver } from './customer-resolver.js';

const SHOP = 'mainbrand.myshopify.com';
let sim: Simulator;
let t: TestRedis;
let store: SourceStore;

beforeAll(async () => {
  sim = await startSimulator({ stores: [{ shop: SHOP }] });
  t = await connectTestRedis('customers');
  const info = sim.info(SHOP);
  store = createSourceStores([{ shop: SHOP, adminApiToken: info.accessToken, webhookSecrets: [], adminApiBaseUrl: info.adminBaseUrl, apiVersion: '2026-10' }]).get(SHOP)!;
});
afterAll(async () => {
  await sim?.close();
  await t?.cleanup();
});

describe('CustomerResolver', () => {
  it('finds the source customer by email (case-insensitive) and caches it with a TTL', async () => {
    const customer = sim.store(SHOP).addCustomer({ email: 'ana@example.com', firstName: 'Ana' });
    const resolver = new CustomerResolver(t.redis, { prefix: t.prefix, ttlSeconds: 600, missTtlSeconds: 60 });
    const found = await resolver.resolve(store, 'Ana@Example.com');
    expect(found).toMatchObject({ kind: 'ok', data: `gid://shopify/Customer/${customer.id}` });
    const key = `${t.prefix}customer:${SHOP}:ana@example.com`;
    expect(await t.redis.get(key)).toBe(`gid://shopify/Customer/${customer.id}`);
    expect(await t.redis.ttl(key)).toBeGreaterThan(590);

    // A second resolver (another writer instance) answers from Redis without asking Shopify.
    const before = sim.store(SHOP).stats.requests;
    const other = new CustomerResolver(t.redis, { prefix: t.prefix });
    expect(await other.resolve(store, 'ana@example.com')).toMatchObject({ kind: 'ok', data: `gid://shopify/Customer/${customer.id}` });
    expect(sim.store(SHOP).stats.requests).toBe(before);
  });

  it('caches a miss shorter, and forgets on request', async () => {
    const resolver = new CustomerResolver(t.redis, { prefix: t.prefix, missTtlSeconds: 30 });
    expect(await resolver.resolve(store, 'nobody@example.com')).toMatchObject({ kind: 'ok', data: null });
    const key = `${t.prefix}customer:${SHOP}:nobody@example.com`;
    expect(await t.redis.ttl(key)).toBeLessThanOrEqual(30);
    const created = sim.store(SHOP).addCustomer({ email: 'nobody@example.com' });
    await resolver.forget(store, 'nobody@example.com');
    expect(await resolver.resolve(store, 'nobody@example.com')).toMatchObject({ kind: 'ok', data: `gid://shopify/Customer/${created.id}` });
  });
});
