// Admin API fault injection, seen through @shopify/admin-api-client.
import { createAdminApiClient, type AdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SOURCE_CATALOG, SOURCE_SHOP } from '../demo-catalog.js';
import { startSimulator, type Simulator } from '../simulator.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

let sim: Simulator;
let client: AdminApiClient;
let receiver: WebhookReceiver;

const CREATE = `mutation($input: DraftOrderInput!) { draftOrderCreate(input: $input) { draftOrder { id } userErrors { message } } }`;

beforeAll(async () => {
  sim = await startSimulator({ stores: [{ shop: SOURCE_SHOP, accessToken: 'tok' }] });
  client = createAdminApiClient({ storeDomain: SOURCE_SHOP, apiVersion: '2026-10', accessToken: 'tok', customFetchApi: sim.fetchApi });
  receiver = await startWebhookReceiver();
}, 120_000);

afterAll(async () => {
  await receiver.close();
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  sim.store(SOURCE_SHOP).seedProducts(SOURCE_CATALOG);
});

const input = (): Record<string, unknown> => ({
  tags: ['sync:x'],
  lineItems: [{ variantId: sim.store(SOURCE_SHOP).variantBySku('RED-TS-M').gid, quantity: 1 }],
});

describe('Admin API fault injection', () => {
  it('lost reply: the mutation is applied (and its webhook sent) but the client gets a network error', async () => {
    const store = sim.store(SOURCE_SHOP);
    store.subscribe('draft_orders/create', receiver.url);
    store.failNext('lostReply');
    const res = await client.request(CREATE, { variables: { input: input() } });
    expect(res.data).toBeUndefined();
    expect(res.errors?.networkStatusCode).toBeUndefined();
    expect(res.errors?.message).toMatch(/fetch failed|socket|closed/i);
    expect(store.store.drafts()).toHaveLength(1);
    await sim.webhooks.idle();
    expect(sim.webhooks.deliveries({ topic: 'draft_orders/create', state: 'delivered' })).toHaveLength(1);
    expect(store.stats.lostReplies).toBe(1);

    // The next create goes through normally.
    const again = await client.request(CREATE, { variables: { input: input() } });
    expect(again.data?.draftOrderCreate.draftOrder.id).toMatch(/DraftOrder/);
    expect(store.store.drafts()).toHaveLength(2);
  });

  it('dropped connection: nothing is applied', async () => {
    const store = sim.store(SOURCE_SHOP);
    store.failNext('drop');
    const res = await client.request(CREATE, { variables: { input: input() } });
    expect(res.errors?.message).toMatch(/fetch failed|socket|closed/i);
    expect(store.store.drafts()).toHaveLength(0);
  });

  it('failNext serverError answers the next requests with that status before running them', async () => {
    const store = sim.store(SOURCE_SHOP);
    store.failNext('serverError', 2, 'any', 503);
    const first = await client.request('{ shop { name } }');
    const second = await client.request(CREATE, { variables: { input: input() } });
    const third = await client.request('{ shop { name } }');
    expect(first.errors?.networkStatusCode).toBe(503);
    expect(second.errors?.networkStatusCode).toBe(503);
    expect(third.data?.shop.name).toBe('mainbrand');
    expect(store.store.drafts()).toHaveLength(0);
  });

  it('a share of 5xx answers, reproducible from the seed', async () => {
    const store = sim.store(SOURCE_SHOP);
    const statuses = async (): Promise<number[]> => {
      store.setFaults({ serverErrorRate: 0.4, serverErrorStatus: 502, seed: 7 });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await client.request('{ shop { name } }');
        out.push(res.errors?.networkStatusCode ?? 200);
      }
      return out;
    };
    const a = await statuses();
    const b = await statuses();
    expect(a).toEqual(b);
    const failures = a.filter((s) => s === 502).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(27);
    expect(store.stats.serverErrors).toBe(failures * 2);
  });

  it('adds latency', async () => {
    sim.store(SOURCE_SHOP).setFaults({ latencyMs: 150 });
    const started = performance.now();
    const res = await client.request('{ shop { name } }');
    expect(res.data?.shop.name).toBe('mainbrand');
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});
