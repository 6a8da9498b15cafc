// The HTTP control API: everything a test in another process (or the demo) needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

let sim: Simulator;
let receiver: WebhookReceiver;

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${sim.url}/_control${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

beforeAll(async () => {
  sim = await startSimulator();
  receiver = await startWebhookReceiver();
}, 120_000);

afterAll(async () => {
  await receiver.close();
  await sim.close();
});

describe('control API', () => {
  it('creates and seeds a store, acts in it, reads it back, and steers throttle, faults and webhooks', async () => {
    const created = await call<{ shop: string; accessToken: string; adminBaseUrl: string }>('POST', '/stores', {
      shop: 'eu-brand',
      accessToken: 'tok',
      webhookSecret: 'sec',
      currency: 'EUR',
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ shop: 'eu-brand.myshopify.com', accessToken: 'tok', adminBaseUrl: `${sim.url}/shops/eu-brand.myshopify.com` });

    const products = await call<{ variants: { id: number }[] }[]>('POST', '/stores/eu-brand.myshopify.com/products', [
      { title: 'Red T-Shirt', options: ['Size'], variants: [{ sku: 'RED-TS-M', barcode: '1', price: '22.90', options: ['M'] }] },
    ]);
    expect(products.status).toBe(201);
    const variantId = products.json[0]?.variants[0]?.id;

    const sub = await call('POST', '/stores/eu-brand/webhook-subscriptions', { topic: 'draft_orders/create', uri: receiver.url });
    expect(sub.status).toBe(201);
    await call('POST', '/stores/eu-brand/webhook-subscriptions', { topic: 'DRAFT_ORDERS_UPDATE', uri: receiver.url });

    const draft = await call<{ id: number; status: string }>('POST', '/stores/eu-brand/draft-orders', {
      email: 'a@example.com',
      lineItems: [{ variantId: `gid://shopify/ProductVariant/${variantId}`, quantity: 2 }],
    });
    expect(draft.status).toBe(201);
    const invalid = await call('POST', '/stores/eu-brand/draft-orders', { lineItems: [{ quantity: 'two' }] });
    expect(invalid.status).toBe(400); // checked against the schema's DraftOrderInput
    const userErrors = await call<{ userErrors: unknown[] }>('POST', '/stores/eu-brand/draft-orders', { lineItems: [] });
    expect(userErrors.status).toBe(422);

    expect((await call('PUT', `/stores/eu-brand/draft-orders/${draft.json.id}`, { tags: ['x'] })).status).toBe(200);
    expect((await call('POST', `/stores/eu-brand/draft-orders/${draft.json.id}/invoice`, {})).json).toMatchObject({ status: 'INVOICE_SENT' });
    expect((await call('POST', `/stores/eu-brand/draft-orders/${draft.json.id}/complete`)).json).toMatchObject({ status: 'COMPLETED' });
    const order = await call<{ number: number }>('POST', '/stores/eu-brand/orders', {
      email: 'buyer@example.com',
      lineItems: [{ variantId, quantity: 1 }],
    });
    expect(order.status).toBe(201);

    expect((await call('POST', '/webhooks/idle', { timeoutMs: 5000 })).json).toEqual({ idle: true });
    const deliveries = await call<{ topic: string; state: string }[]>('GET', '/webhooks/deliveries?shop=eu-brand.myshopify.com');
    expect(deliveries.json.map((d) => d.topic)).toEqual(['draft_orders/create', 'draft_orders/update', 'draft_orders/update', 'draft_orders/update']);
    expect(deliveries.json.every((d) => d.state === 'delivered')).toBe(true);

    const state = await call<{ draftOrders: { status: string }[]; orders: unknown[]; customers: { email: string }[] }>('GET', '/stores/eu-brand');
    expect(state.json.draftOrders.map((d) => d.status)).toEqual(['COMPLETED']);
    expect(state.json.orders).toHaveLength(2); // one from completing the draft, one placed
    expect(state.json.customers.map((c) => c.email)).toEqual(['buyer@example.com']);

    expect((await call('PUT', '/stores/eu-brand/throttle', { maximumAvailable: 50, restoreRate: 5, currentlyAvailable: 0 })).json).toEqual({
      maximumAvailable: 50,
      currentlyAvailable: 0,
      restoreRate: 5,
    });
    const gql = await fetch(`${sim.url}/shops/eu-brand.myshopify.com/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': 'tok' },
      body: JSON.stringify({ query: '{ shop { name } }' }),
    });
    expect(((await gql.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('THROTTLED');

    expect((await call('PUT', '/stores/eu-brand/faults', { latencyMs: 5, serverErrorRate: 0 })).json).toMatchObject({ latencyMs: 5 });
    expect((await call('POST', '/stores/eu-brand/faults/next', { kind: 'lostReply', count: 2 })).json).toMatchObject({
      next: [{ kind: 'lostReply', match: 'mutation' }, { kind: 'lostReply', match: 'mutation' }],
    });
    expect((await call('POST', '/stores/eu-brand/webhook-faults/next', { kind: 'hold', count: 1 })).status).toBe(200);

    expect((await call('POST', '/reset')).status).toBe(200);
    const after = await call<{ draftOrders: unknown[]; faults: { latencyMs: number } }>('GET', '/stores/eu-brand');
    expect(after.json.draftOrders).toEqual([]);
    expect(after.json.faults.latencyMs).toBe(0);
    expect((await call('GET', '/stores/nope')).status).toBe(404);
  });
});
