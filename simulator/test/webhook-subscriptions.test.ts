// webhookSubscriptionCreate/Update/Delete and the webhookSubscription(s) queries as Shopify
// answers them, and what they mean for deliveries (address moves, deletion, includeFields,
// debouncing, the subscription's API version).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { DESTINATION_CATALOG, DESTINATION_SHOP } from '../demo-catalog.js';
import { startSimulator, type Simulator } from '../simulator.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';
import { control, gql } from './graphql-call.js';

const SHOP = DESTINATION_SHOP;
const TOKEN = 'tok';
const clock = new ManualClock();
let sim: Simulator;
let receiver: WebhookReceiver;
let other: WebhookReceiver;

const FIELDS = `id legacyResourceId topic uri callbackUrl endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } }
  format includeFields metafieldNamespaces filter name apiVersion { handle } createdAt updatedAt`;
const CREATE = `mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { ${FIELDS} } userErrors { field message } } }`;
const UPDATE = `mutation($id: ID!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionUpdate(id: $id, webhookSubscription: $sub) { webhookSubscription { ${FIELDS} } userErrors { field message } } }`;
const DELETE = `mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } } }`;

interface SubscriptionView {
  id: string;
  uri: string;
  updatedAt: string;
  includeFields: string[];
}
interface Payload {
  webhookSubscription: SubscriptionView | null;
  userErrors: { field: string[] | null; message: string }[];
}

async function create(topic: string, sub: Record<string, unknown>, version = '2026-10'): Promise<Payload> {
  const res = await gql(sim, SHOP, TOKEN, CREATE, { topic, sub }, version);
  expect(res.json.errors).toBeUndefined();
  return res.json.data?.['webhookSubscriptionCreate'] as Payload;
}

async function update(id: string, sub: Record<string, unknown>): Promise<Payload> {
  return (await gql(sim, SHOP, TOKEN, UPDATE, { id, sub })).json.data?.['webhookSubscriptionUpdate'] as Payload;
}

/** Waits until the first delivery's first attempt failed and its retry is pending. */
async function retryPending(): Promise<void> {
  while (sim.webhooks.deliveries()[0]?.state !== 'retry_scheduled') await new Promise((resolve) => setTimeout(resolve, 5));
}

function createDraft(note = 'n'): number {
  const store = sim.store(SHOP);
  return store.createDraft({ note, lineItems: [{ variantId: store.variantBySku('RED-TS-M').gid, quantity: 1 }] }).id;
}

beforeAll(async () => {
  sim = await startSimulator({ clock, stores: [{ shop: SHOP, accessToken: TOKEN }] });
}, 120_000);

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  clock.set(Date.parse('2026-01-15T10:00:00Z'));
  sim.reset();
  sim.webhooks.configure({ retryScale: 1, retryDelaysMs: undefined, timeoutMs: 5000, debounceWindowMs: undefined });
  sim.store(SHOP).seedProducts(DESTINATION_CATALOG);
  receiver = await startWebhookReceiver();
  other = await startWebhookReceiver();
});

afterEach(async () => {
  await receiver.close();
  await other.close();
});

describe('webhookSubscriptionCreate', () => {
  it('answers with the subscription in Shopify’s shape', async () => {
    const { webhookSubscription: sub, userErrors } = await create('DRAFT_ORDERS_CREATE', { uri: `  ${receiver.url}  `, format: 'JSON', includeFields: ['id', 'note'], filter: '' });
    expect(userErrors).toEqual([]);
    expect(sub).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/WebhookSubscription\/\d+$/) as unknown,
      legacyResourceId: sub?.id.split('/').pop(),
      topic: 'DRAFT_ORDERS_CREATE',
      uri: receiver.url, // trimmed
      callbackUrl: receiver.url,
      endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: receiver.url },
      format: 'JSON',
      includeFields: ['id', 'note'],
      metafieldNamespaces: [],
      filter: '',
      name: null,
      apiVersion: { handle: '2026-10' },
      createdAt: '2026-01-15T10:00:00Z',
      updatedAt: '2026-01-15T10:00:00Z',
    });
    const byCallbackUrl = await create('DRAFT_ORDERS_UPDATE', { callbackUrl: receiver.url }); // deprecated input, still accepted
    expect(byCallbackUrl.webhookSubscription?.uri).toBe(receiver.url);
  });

  it.each([
    ['a blank address', { uri: '   ' }, "Address can't be blank"],
    ['no address', {}, "Address can't be blank"],
    ['http to a public host', { uri: 'http://example.com/hook' }, 'Address protocol http:// is not supported'],
    ['another protocol', { uri: 'ftp://example.com/hook' }, 'Address protocol ftp:// is not supported'],
    ['no host', { uri: 'https://' }, 'Address is invalid'],
    ['a Shopify domain', { uri: 'https://example.myshopify.com/hook' }, 'Address cannot be a Shopify or an internal domain'],
    ['a private address', { uri: 'https://10.0.0.5/hook' }, 'Address cannot be a Shopify or an internal domain'],
    ['an address over 64 KB', { uri: `https://example.com/${'a'.repeat(65_535)}` }, 'Address is too big (maximum is 64 KB)'],
  ])('refuses %s', async (_case, sub, message) => {
    expect(await create('DRAFT_ORDERS_CREATE', sub)).toEqual({ webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message }] });
  });

  it('refuses a second subscription of one topic to one address, and bad or duplicate names', async () => {
    expect((await create('DRAFT_ORDERS_CREATE', { uri: receiver.url, name: 'Drafts' })).userErrors).toEqual([]);
    expect((await create('DRAFT_ORDERS_UPDATE', { uri: receiver.url })).userErrors).toEqual([]); // another topic: fine
    expect((await create('DRAFT_ORDERS_CREATE', { uri: receiver.url })).userErrors).toEqual([
      { field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' },
    ]);
    expect((await create('DRAFT_ORDERS_DELETE', { uri: receiver.url, name: 'has spaces' })).userErrors).toEqual([
      { field: ['webhookSubscription', 'name'], message: 'Name name field can only contain alphanumeric characters, underscores, and hyphens' },
    ]);
    expect((await create('DRAFT_ORDERS_DELETE', { uri: receiver.url, name: 'DRAFTS' })).userErrors).toEqual([
      { field: ['webhookSubscription', 'name'], message: 'Name already exists, no duplicate allowed' },
    ]);
  });

  it('stops at the per-shop subscription limit', async () => {
    sim.store(SHOP).setLimits({ webhookSubscriptionLimit: 2 });
    await create('DRAFT_ORDERS_CREATE', { uri: receiver.url });
    await create('DRAFT_ORDERS_UPDATE', { uri: receiver.url });
    expect(await create('DRAFT_ORDERS_DELETE', { uri: receiver.url })).toEqual({
      webhookSubscription: null,
      userErrors: [{ field: null, message: 'Webhook subscription limit reached: an app may hold 2 subscriptions on this shop' }],
    });
  });

  it('fails loudly on inputs it does not model', async () => {
    for (const sub of [{ uri: receiver.url, format: 'XML' }, { uri: receiver.url, filter: 'status:open' }, { uri: receiver.url, metafieldNamespaces: ['custom'] }, { uri: 'pubsub://project:topic' }]) {
      const res = await gql(sim, SHOP, TOKEN, CREATE, { topic: 'DRAFT_ORDERS_CREATE', sub });
      expect(Array.isArray(res.json.errors) && res.json.errors[0]?.message).toMatch(/not (implemented|supported) by the Shopify simulator/);
    }
    expect(sim.store(SHOP).store.subscriptions()).toEqual([]);
  });

  it('delivers in the API version of the request that created the subscription, with its name', async () => {
    await create('DRAFT_ORDERS_CREATE', { uri: receiver.url, name: 'drafts-in' }, '2026-07');
    createDraft();
    await sim.webhooks.idle();
    expect(receiver.received[0]?.headers).toMatchObject({ 'x-shopify-api-version': '2026-07', 'x-shopify-name': 'drafts-in' });
  });
});

describe('webhookSubscriptionUpdate and Delete', () => {
  it('moves deliveries, pending retries included, to the new address', async () => {
    const { webhookSubscription: sub } = await create('DRAFT_ORDERS_CREATE', { uri: receiver.url });
    const id = sub?.id ?? '';
    sim.webhooks.configure({ retryDelaysMs: [60_000] });
    receiver.respondWith(500);
    createDraft();
    await retryPending();
    clock.advance(5000);
    const updated = await update(id, { uri: other.url, includeFields: ['id'] });
    expect(updated.userErrors).toEqual([]);
    expect(updated.webhookSubscription).toMatchObject({ uri: other.url, includeFields: ['id'], updatedAt: '2026-01-15T10:00:05Z' });
    sim.webhooks.retryNow();
    await sim.webhooks.idle();
    expect(receiver.received.map((w) => w.status)).toEqual([500]);
    expect(other.received).toHaveLength(1); // the retry, with its original body
    createDraft('second');
    await sim.webhooks.idle();
    expect(other.received).toHaveLength(2);
    expect(JSON.parse(other.received[1]?.rawBody.toString() ?? '{}')).toEqual({ id: expect.any(Number) as unknown });
  });

  it('refuses unknown ids and taken addresses, and leaves the subscription as it was', async () => {
    const first = (await create('DRAFT_ORDERS_CREATE', { uri: receiver.url })).webhookSubscription;
    const second = (await create('DRAFT_ORDERS_CREATE', { uri: other.url })).webhookSubscription;
    expect((await update(second?.id ?? '', { uri: receiver.url })).userErrors).toEqual([
      { field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' },
    ]);
    expect((await update(second?.id ?? '', { uri: 'http://example.com' })).userErrors).toEqual([
      { field: ['webhookSubscription', 'callbackUrl'], message: 'Address protocol http:// is not supported' },
    ]);
    const missing = 'gid://shopify/WebhookSubscription/999';
    expect(await update(missing, { uri: receiver.url })).toEqual({ webhookSubscription: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] });
    expect((await gql(sim, SHOP, TOKEN, DELETE, { id: missing })).json.data).toEqual({
      webhookSubscriptionDelete: { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] },
    });
    expect(sim.store(SHOP).store.subscriptions().map((s) => s.uri)).toEqual([first?.uri, other.url]);
  });

  it('stops deliveries on delete, pending retries included', async () => {
    const id = (await create('DRAFT_ORDERS_CREATE', { uri: receiver.url })).webhookSubscription?.id ?? '';
    sim.webhooks.configure({ retryDelaysMs: [60_000] });
    receiver.respondWith(500);
    createDraft();
    await retryPending();
    expect((await gql(sim, SHOP, TOKEN, DELETE, { id })).json.data).toEqual({ webhookSubscriptionDelete: { deletedWebhookSubscriptionId: id, userErrors: [] } });
    sim.webhooks.retryNow();
    await sim.webhooks.idle();
    createDraft();
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    expect(sim.webhooks.deliveries().map((d) => d.state)).toEqual(['cancelled']);
    expect((await gql(sim, SHOP, TOKEN, `query($id: ID!) { webhookSubscription(id: $id) { id } }`, { id })).json.data).toEqual({ webhookSubscription: null });
  });
});

describe('webhookSubscriptions query', () => {
  it('filters by topics, uri, callbackUrl, format and query, sorts and pages', async () => {
    const a = (await create('DRAFT_ORDERS_CREATE', { uri: receiver.url })).webhookSubscription?.id;
    clock.advance(1000);
    const b = (await create('DRAFT_ORDERS_UPDATE', { uri: receiver.url })).webhookSubscription?.id;
    clock.advance(1000);
    const c = (await create('DRAFT_ORDERS_CREATE', { uri: other.url })).webhookSubscription?.id;
    const ids = async (args: string): Promise<unknown> => {
      const res = await gql(sim, SHOP, TOKEN, `{ webhookSubscriptions(${args}) { nodes { id } pageInfo { hasNextPage endCursor } } }`);
      expect(res.json.errors).toBeUndefined();
      return (res.json.data?.['webhookSubscriptions'] as { nodes: { id: string }[] }).nodes.map((n) => n.id);
    };
    expect(await ids('first: 10')).toEqual([a, b, c]); // CREATED_AT
    expect(await ids('first: 10, topics: [DRAFT_ORDERS_CREATE]')).toEqual([a, c]);
    expect(await ids(`first: 10, uri: "${other.url}"`)).toEqual([c]);
    expect(await ids(`first: 10, callbackUrl: "${receiver.url}"`)).toEqual([a, b]);
    expect(await ids('first: 10, format: XML')).toEqual([]);
    expect(await ids('first: 10, query: "created_at:>2026-01-15T10:00:00Z"')).toEqual([b, c]);
    expect(await ids(`first: 10, query: "id:${a?.split('/').pop()}"`)).toEqual([a]);
    expect(await ids('first: 10, sortKey: ID, reverse: true')).toEqual([c, b, a]);

    const page = await gql(sim, SHOP, TOKEN, '{ webhookSubscriptions(first: 2) { pageInfo { hasNextPage endCursor } } }');
    const cursor = (page.json.data?.['webhookSubscriptions'] as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    expect(await ids(`first: 2, after: "${cursor}"`)).toEqual([c]);

    const count = await gql(sim, SHOP, TOKEN, '{ all: webhookSubscriptionsCount { count precision } capped: webhookSubscriptionsCount(limit: 2) { count precision } }');
    expect(count.json.data).toEqual({ all: { count: 3, precision: 'EXACT' }, capped: { count: 2, precision: 'AT_LEAST' } });
  });
});

describe('includeFields deliveries', () => {
  it('sends only the included fields, nested ones by path', async () => {
    await create('DRAFT_ORDERS_CREATE', { uri: receiver.url, includeFields: ['id', 'line_items.sku', 'line_items.quantity', 'shipping_address.city'] });
    const id = createDraft();
    await sim.webhooks.idle();
    expect(JSON.parse(receiver.received[0]?.rawBody.toString() ?? '{}')).toEqual({ id, line_items: [{ sku: 'RED-TS-M', quantity: 1 }], shipping_address: null });
  });

  it('drops a delivery whose included fields did not change within the debounce window', async () => {
    await create('DRAFT_ORDERS_UPDATE', { uri: receiver.url, includeFields: ['id', 'tags'] });
    await create('DRAFT_ORDERS_UPDATE', { uri: other.url, includeFields: ['id', 'tags', 'updated_at'] });
    const store = sim.store(SHOP);
    const id = createDraft();
    clock.advance(1000);
    store.updateDraft(id, { note: 'a' });
    clock.advance(1000);
    store.updateDraft(id, { note: 'b' }); // same tags: a duplicate for the first subscription
    clock.advance(10_000);
    store.updateDraft(id, { note: 'c' }); // outside the window: sent again
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
    expect(other.received).toHaveLength(3); // updated_at always differs
    expect(sim.webhooks.deliveries({ state: 'debounced' })).toHaveLength(1);
  });
});

describe('control API', () => {
  it('lists, creates (idempotently), updates and deletes subscriptions', async () => {
    const path = `/stores/${SHOP}/webhook-subscriptions`;
    const created = await control<{ id: number; uri: string }>(sim, 'POST', path, { topic: 'draft_orders/create', uri: receiver.url, name: 'hook' });
    expect(created.status).toBe(201);
    expect((await control<{ id: number }>(sim, 'POST', path, { topic: 'DRAFT_ORDERS_CREATE', uri: receiver.url })).json.id).toBe(created.json.id);
    expect((await control(sim, 'POST', path, { topic: 'draft_orders/update', uri: 'http://example.com' })).status).toBe(422);
    expect((await control(sim, 'PUT', `${path}/${created.json.id}`, { uri: other.url })).json).toMatchObject({ uri: other.url, name: 'hook' });
    expect((await control<unknown[]>(sim, 'GET', path)).json).toHaveLength(1);
    expect((await control(sim, 'DELETE', `${path}/${created.json.id}`)).json).toEqual({ deleted: true });
  });
});
