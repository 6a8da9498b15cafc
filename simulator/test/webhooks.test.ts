// Webhooks as Shopify sends them: verified with the official @shopify/shopify-api validation,
// REST bodies, headers, retries, duplicates, reordering and drops.
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DESTINATION_CATALOG, DESTINATION_SHOP } from '../demo-catalog.js';
import { startSimulator, type Simulator } from '../simulator.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../testing/webhook-receiver.js';

const SECRET = 'eu_brand_app_secret';
let sim: Simulator;
let receiver: WebhookReceiver;

const body = (w: ReceivedWebhook): Record<string, unknown> => JSON.parse(w.rawBody.toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  sim = await startSimulator({ stores: [{ shop: DESTINATION_SHOP, webhookSecret: SECRET }] });
}, 120_000);

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  sim.reset();
  sim.webhooks.configure({ retryScale: 1, retryDelaysMs: undefined, timeoutMs: 5000 });
  sim.store(DESTINATION_SHOP).seedProducts(DESTINATION_CATALOG);
  receiver = await startWebhookReceiver();
  sim.store(DESTINATION_SHOP).subscribeAll(receiver.url, ['draft_orders/create', 'draft_orders/update', 'draft_orders/delete', 'orders/create']);
});

afterEach(async () => {
  await receiver.close();
});

function createDraft(tags: string[] = ['vip']): number {
  const store = sim.store(DESTINATION_SHOP);
  return store.createDraft({
    email: 'max@example.de',
    tags,
    note: 'please hurry',
    customAttributes: [{ key: 'channel', value: 'phone' }],
    shippingAddress: { firstName: 'Max', lastName: 'M', address1: 'Hauptstr. 1', city: 'Berlin', countryCode: 'DE', zip: '10115' },
    lineItems: [
      { variantId: store.variantBySku('RED-TS-M').gid, quantity: 1 },
      { variantId: store.variantBySku('BLUE-HD-L').gid, quantity: 2 },
      { title: 'Engraving', quantity: 1, originalUnitPriceWithCurrency: { amount: '5.00', currencyCode: 'USD' } },
    ],
  }).id;
}

describe('webhook signing', () => {
  it('validates with @shopify/shopify-api, and a tampered body does not', async () => {
    const shopify = shopifyApi({
      apiKey: 'app-key',
      apiSecretKey: SECRET,
      apiVersion: ApiVersion.January26,
      hostName: 'localhost',
      isEmbeddedApp: false,
      logger: { level: LogSeverity.Error },
    });
    const results: { genuine: unknown; tampered: unknown }[] = [];
    receiver.onRequest = async (req, res, rawBody) => {
      const raw = rawBody.toString('utf8');
      const genuine = await shopify.webhooks.validate({ rawBody: raw, rawRequest: req, rawResponse: res });
      const tampered = await shopify.webhooks.validate({ rawBody: raw.replace('"quantity":2', '"quantity":20'), rawRequest: req, rawResponse: res });
      results.push({ genuine, tampered });
      res.writeHead(200).end();
      return true;
    };
    createDraft();
    await sim.webhooks.idle();
    expect(results).toHaveLength(1);
    expect(results[0]?.genuine).toMatchObject({
      valid: true,
      topic: 'DRAFT_ORDERS_CREATE',
      domain: DESTINATION_SHOP,
      apiVersion: '2026-10',
    });
    expect(results[0]?.tampered).toMatchObject({ valid: false, reason: 'invalid_hmac' });
  });
});

describe('webhook bodies and headers', () => {
  it('sends draft orders as REST JSON with Shopify headers', async () => {
    const id = createDraft(['b', 'a']);
    await sim.webhooks.idle();
    const [w] = receiver.received;
    expect(w).toBeDefined();
    if (!w) return;
    expect(w.headers).toMatchObject({
      'content-type': 'application/json',
      'x-shopify-topic': 'draft_orders/create',
      'x-shopify-shop-domain': DESTINATION_SHOP,
      'x-shopify-api-version': '2026-10',
    });
    expect(w.headers['x-shopify-hmac-sha256']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(w.webhookId).toMatch(/^[0-9a-f-]{36}$/);
    expect(w.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(String(w.headers['x-shopify-triggered-at']))).not.toBeNaN();

    const draft = body(w);
    const tee = sim.store(DESTINATION_SHOP).variantBySku('RED-TS-M');
    expect(draft).toMatchObject({
      id,
      admin_graphql_api_id: `gid://shopify/DraftOrder/${id}`,
      name: '#D1',
      status: 'open',
      email: 'max@example.de',
      note: 'please hurry',
      tags: 'a, b',
      currency: 'USD',
      note_attributes: [{ name: 'channel', value: 'phone' }],
      shipping_address: { first_name: 'Max', city: 'Berlin', country_code: 'DE', country: 'Germany', zip: '10115' },
      subtotal_price: '137.70', // 22.90 + 2 × 54.90 + 5.00
      total_price: '137.70',
      total_tax: '0.00',
      completed_at: null,
      order_id: null,
      customer: null,
    });
    expect(typeof draft['updated_at']).toBe('string');
    const lines = draft['line_items'] as Record<string, unknown>[];
    expect(lines[0]).toMatchObject({ variant_id: tee.id, product_id: tee.productId, sku: 'RED-TS-M', quantity: 1, price: '22.90', custom: false });
    expect(lines[2]).toMatchObject({ variant_id: null, product_id: null, title: 'Engraving', price: '5.00', custom: true });
  });

  it('sends update on invoice/complete, orders/create on complete, and only {id} on delete', async () => {
    const store = sim.store(DESTINATION_SHOP);
    const completedId = createDraft();
    store.completeDraft(completedId);
    const deletedId = createDraft();
    store.deleteDraft(deletedId);
    await sim.webhooks.idle();
    const topics = receiver.received.map((w) => w.topic);
    expect(topics.sort()).toEqual(['draft_orders/create', 'draft_orders/create', 'draft_orders/delete', 'draft_orders/update', 'orders/create'].sort());
    const update = receiver.received.find((w) => w.topic === 'draft_orders/update');
    const order = receiver.received.find((w) => w.topic === 'orders/create');
    const del = receiver.received.find((w) => w.topic === 'draft_orders/delete');
    expect(update && body(update)).toMatchObject({ id: completedId, status: 'completed' });
    expect(order && body(order)).toMatchObject({ name: '#1001', source_name: 'shopify_draft_order', financial_status: 'paid' });
    expect(del && del.rawBody.toString()).toBe(JSON.stringify({ id: deletedId }));
  });
});

describe('product webhooks', () => {
  it('sends products/create, update and delete', async () => {
    const store = sim.store(DESTINATION_SHOP);
    store.subscribeAll(receiver.url, ['products/create', 'products/update', 'products/delete']);
    const [product] = store.seedProducts([{ title: 'New Beanie', options: ['Color'], variants: [{ sku: 'BEANIE-GRY', price: '15', options: ['Grey'] }] }]);
    if (!product) throw new Error('no product');
    store.store.updateProduct(product.id, { variants: [{ id: product.variants[0]?.id ?? 0, sku: 'BEANIE-GREY' }] });
    store.store.deleteProduct(product.id);
    await sim.webhooks.idle();
    const products = receiver.received.filter((w) => w.topic.startsWith('products/'));
    expect(products.map((w) => w.topic)).toEqual(['products/create', 'products/update', 'products/delete']);
    expect(products[0] && body(products[0])).toMatchObject({ id: product.id, handle: 'new-beanie', variants: [{ sku: 'BEANIE-GRY', price: '15.00', option1: 'Grey' }] });
    expect(products[1] && body(products[1])).toMatchObject({ variants: [{ sku: 'BEANIE-GREY' }] });
    expect(products[2]?.rawBody.toString()).toBe(JSON.stringify({ id: product.id }));
  });
});

describe('webhook delivery semantics', () => {
  it('retries failed deliveries with the same webhook and event id until a 2xx', async () => {
    sim.webhooks.configure({ retryScale: 0.001 }); // 10 s, 30 s … → 10 ms, 30 ms …
    receiver.respondWith(500, 302);
    createDraft();
    await sim.webhooks.idle();
    expect(receiver.received.map((w) => w.status)).toEqual([500, 302, 200]);
    expect(new Set(receiver.received.map((w) => w.webhookId)).size).toBe(1);
    expect(new Set(receiver.received.map((w) => w.eventId)).size).toBe(1);
    const [delivery] = sim.webhooks.deliveries();
    expect(delivery?.state).toBe('delivered');
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 302, 200]);
  });

  it('gives up after 8 retries and removes the API-created subscription', async () => {
    sim.webhooks.configure({ retryDelaysMs: [1, 1, 1, 1, 1, 1, 1, 1] });
    receiver.defaultStatus = 503;
    createDraft();
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(9);
    expect(sim.webhooks.deliveries()[0]?.state).toBe('failed');
    expect(sim.store(DESTINATION_SHOP).store.subscriptionsFor('draft_orders/create')).toEqual([]);
  });

  it('counts a reply slower than the timeout as a failure', async () => {
    sim.webhooks.configure({ timeoutMs: 100, retryDelaysMs: [1] });
    let first = true;
    receiver.onRequest = async (_req, res) => {
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, 300)); // the slow receiver under test
      }
      res.writeHead(200).end();
      return true;
    };
    createDraft();
    await sim.webhooks.idle();
    expect(sim.webhooks.deliveries()[0]?.attempts.map((a) => a.error ?? a.status)).toEqual(['timeout after 100 ms', 200]);
  });

  it('duplicates a delivery on demand: same event id, new webhook id', async () => {
    sim.store(DESTINATION_SHOP).webhookFaults.duplicateNext(1);
    createDraft();
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
    const [a, b] = receiver.received;
    expect(a?.eventId).toBe(b?.eventId);
    expect(a?.webhookId).not.toBe(b?.webhookId);
    expect(a?.rawBody.equals(b?.rawBody ?? Buffer.alloc(0))).toBe(true);
  });

  it('holds deliveries and releases them out of order', async () => {
    const store = sim.store(DESTINATION_SHOP);
    store.webhookFaults.holdNext(2);
    const id = createDraft();
    store.updateDraft(id, { note: 'changed' });
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(0);
    expect(sim.webhooks.deliveries({ state: 'held' })).toHaveLength(2);
    expect(await sim.webhooks.release({ order: 'reverse' })).toBe(2);
    await sim.webhooks.idle();
    expect(receiver.received.map((w) => w.topic)).toEqual(['draft_orders/update', 'draft_orders/create']);
  });

  it('drops deliveries on demand (never delivered)', async () => {
    const store = sim.store(DESTINATION_SHOP);
    store.webhookFaults.dropNext(1);
    const id = createDraft();
    store.updateDraft(id, { note: 'changed' });
    await sim.webhooks.idle();
    expect(receiver.received.map((w) => w.topic)).toEqual(['draft_orders/update']);
    expect(sim.webhooks.deliveries({ state: 'dropped' }).map((d) => d.topic)).toEqual(['draft_orders/create']);
  });

  it('applies random duplicate/drop shares reproducibly from a seed', async () => {
    const run = async (): Promise<string[]> => {
      sim.reset();
      sim.store(DESTINATION_SHOP).seedProducts(DESTINATION_CATALOG);
      sim.store(DESTINATION_SHOP).subscribe('draft_orders/create', receiver.url);
      sim.store(DESTINATION_SHOP).setWebhookFaults({ duplicateRate: 0.3, dropRate: 0.2, seed: 42 });
      for (let i = 0; i < 20; i++) createDraft();
      await sim.webhooks.idle();
      return sim.webhooks.deliveries().map((d) => `${d.state}${d.duplicate ? '+dup' : ''}`);
    };
    const first = await run();
    const second = await run();
    expect(first).toEqual(second);
    expect(first.filter((s) => s === 'dropped').length).toBeGreaterThan(0);
    expect(first.filter((s) => s.endsWith('+dup')).length).toBeGreaterThan(0);
  });
});
