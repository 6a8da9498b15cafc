// The paced client against the simulator: URL override, no client-side retries, typed
// failures, and pacing that keeps THROTTLED the exception — also for two writer instances.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../../simulator/simulator.js';
import type { SimulatedShop } from '../../../../simulator/shop.js';
import { systemClock } from '../../../../src/shared/clock.js';
import { Pacer } from '../../../../src/shopify/pacer.js';
import { PacedAdminClient } from '../../../../src/shopify/admin-client.js';
import { SourceStore } from './source-store.js';

const SHOP = 'mainbrand.myshopify.com';
let sim: Simulator;
let shop: SimulatedShop;
let variant: string;

function storeClient(options: { maxThrottleRetries?: number } = {}): { store: SourceStore; pacer: Pacer } {
  const pacer = new Pacer({ clock: systemClock });
  const client = new PacedAdminClient({ shop: SHOP, accessToken: shop.accessToken, adminApiBaseUrl: sim.adminBaseUrl(SHOP), ...options }, pacer);
  return { store: new SourceStore(client), pacer };
}

beforeAll(async () => {
  sim = await startSimulator({ stores: [{ shop: SHOP }] });
  shop = sim.store(SHOP);
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.reset();
  shop.seedProducts([{ title: 'Red T-Shirt', variants: [{ sku: 'RED', price: '10.00' }] }]);
  variant = shop.variantBySku('RED').gid;
});

const createInput = (i: number) => ({ tags: [`t${i}`], lineItems: [{ variantId: variant, quantity: 1 }] });

describe('PacedAdminClient against the simulator', () => {
  it('reaches the store through the base URL override and reads the cost extension', async () => {
    const { store, pacer } = storeClient();
    const created = await store.createDraft(createInput(1));
    expect(created).toMatchObject({ kind: 'ok', data: { status: 'OPEN', tags: ['t1'] } });
    expect(created.kind === 'ok' && created.cost?.throttleStatus?.maximumAvailable).toBe(2000);
    expect(pacer.available()).toBeLessThan(2000);
  });

  it('does not retry by itself: one 5xx is one request, returned as transient', async () => {
    const { store } = storeClient();
    shop.failNext('serverError', 1, 'any', 502);
    const before = shop.stats.requests;
    const result = await store.getDraft('gid://shopify/DraftOrder/1');
    expect(result).toMatchObject({ kind: 'transient', status: 502 });
    expect(shop.stats.requests - before).toBe(1);
  });

  it('a lost reply to a create is transient (outcome unknown) and is not re-sent', async () => {
    const { store } = storeClient();
    shop.failNext('lostReply', 1, 'mutation');
    const result = await store.createDraft(createInput(2));
    expect(result).toMatchObject({ kind: 'transient', status: null });
    expect(shop.store.drafts()).toHaveLength(1);
  });

  it('THROTTLED (HTTP 200) comes back typed when retries are exhausted', async () => {
    const { store, pacer } = storeClient({ maxThrottleRetries: 0 });
    shop.setThrottle({ currentlyAvailable: 0 });
    const result = await store.createDraft(createInput(3));
    expect(result.kind).toBe('throttled');
    // The bucket refills at 100 points/s from 0: by the time the request lands it may hold a
    // point or two, never the mutation's 10.
    const available = result.kind === 'throttled' ? result.cost?.throttleStatus?.currentlyAvailable : undefined;
    expect(available).toBeLessThan(10);
    expect(pacer.stats.throttled).toBe(1);
    expect(shop.store.drafts()).toHaveLength(0);
  });

  it('paces 60 concurrent creates into a small bucket without a THROTTLED reply', async () => {
    shop.setThrottle({ maximumAvailable: 100, restoreRate: 50, timeScale: 10, currentlyAvailable: 100 });
    const { store, pacer } = storeClient();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => store.createDraft(createInput(i))));
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(shop.stats.throttled).toBe(0);
    expect(pacer.stats.throttled).toBe(0);
    expect(shop.store.drafts()).toHaveLength(60);
  });

  it('three writer instances sharing one store converge instead of storming', async () => {
    // Standard plan, refilled 10× faster: 450 creates = 4500 points, over twice the bucket.
    shop.setThrottle({ maximumAvailable: 2000, restoreRate: 100, timeScale: 10, currentlyAvailable: 2000 });
    const instances = [storeClient(), storeClient(), storeClient()];
    const results = await Promise.all(
      instances.map((client, n) => Promise.all(Array.from({ length: 150 }, (_, i) => client.store.createDraft(createInput(n * 1000 + i))))),
    );
    expect(results.flat().every((r) => r.kind === 'ok')).toBe(true);
    expect(shop.store.drafts()).toHaveLength(450);
    // A few collisions while each learns about the others (< 5 % of requests), never a storm.
    expect(shop.stats.throttled).toBeLessThan(450 * 0.05);
  });
});
