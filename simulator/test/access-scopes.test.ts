// Access tokens with scopes: currentAppInstallation, ACCESS_DENIED where a scope is missing
// (driven by the schema's requiredAccess), topic scopes for webhooks, revoked tokens.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCOPES, TOPIC_SCOPES } from '../access/scopes.js';
import { adminSchemaPath, loadAdminApi } from '../admin-schema.js';
import { SOURCE_CATALOG, SOURCE_SHOP } from '../demo-catalog.js';
import { startSimulator, type Simulator } from '../simulator.js';
import { topicToEnum, type WebhookTopic } from '../store/model.js';
import { control, gql } from './graphql-call.js';

const SHOP = SOURCE_SHOP;
const FULL = 'tok_full';
const READ_ONLY = 'tok_read_drafts';
const NONE = 'tok_no_scopes';
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({
    stores: [
      {
        shop: SHOP,
        accessToken: FULL,
        accessTokens: [
          { accessToken: READ_ONLY, scopes: ['read_draft_orders'] },
          { accessToken: NONE, scopes: [] },
        ],
      },
    ],
  });
}, 120_000);

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  sim.store(SHOP).seedProducts(SOURCE_CATALOG);
});

const SCOPES_QUERY = '{ currentAppInstallation { accessScopes { handle } } }';
const handles = (answer: Awaited<ReturnType<typeof gql>>): unknown =>
  (answer.json.data?.['currentAppInstallation'] as { accessScopes: { handle: string }[] }).accessScopes.map((s) => s.handle);

describe('currentAppInstallation', () => {
  it("returns the calling token's scopes, write scopes implying their read scope", async () => {
    expect(handles(await gql(sim, SHOP, FULL, SCOPES_QUERY))).toEqual([...DEFAULT_SCOPES]);
    expect(handles(await gql(sim, SHOP, READ_ONLY, SCOPES_QUERY))).toEqual(['read_draft_orders']);
    sim.store(SHOP).addAccessToken('tok_writer', ['write_products']);
    expect(handles(await gql(sim, SHOP, 'tok_writer', SCOPES_QUERY))).toEqual(['write_products', 'read_products']);
  });
});

describe('ACCESS_DENIED', () => {
  it('refuses a mutation the token lacks the scope for, with HTTP 200, and changes nothing', async () => {
    const res = await gql(
      sim,
      SHOP,
      READ_ONLY,
      `mutation($input: DraftOrderInput!) { draftOrderCreate(input: $input) { draftOrder { id } userErrors { message } } }`,
      { input: { lineItems: [{ title: 'x', quantity: 1 }] } },
    );
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ draftOrderCreate: null });
    const required = '`write_draft_orders` access scope or `write_quick_sale` access scope. Also: The user must have access to manage draft orders.';
    expect(res.json.errors).toEqual([
      {
        message: `Access denied for draftOrderCreate field. Required access: ${required}`,
        locations: [{ line: 1, column: 38 }],
        path: ['draftOrderCreate'],
        extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: required },
      },
    ]);
    expect(sim.store(SHOP).store.drafts()).toEqual([]);
    expect(res.json.extensions).toHaveProperty('cost');
  });

  it('refuses reads per field: a non-null root connection nulls data, a nested object only itself', async () => {
    const store = sim.store(SHOP);
    const draft = store.completeDraft(store.createDraft({ lineItems: [{ variantId: store.variantBySku('RED-TS-M').gid, quantity: 1 }] }).id);

    const orders = await gql(sim, SHOP, READ_ONLY, '{ orders(first: 5) { nodes { id } } }');
    expect(orders.json.data).toBeNull();
    expect(orders.json.errors).toMatchObject([
      {
        message: 'Access denied for orders field. Required access: `read_orders` access scope, `read_marketplace_orders` access scope or `read_quick_sale` access scope.',
        path: ['orders'],
        extensions: { code: 'ACCESS_DENIED' },
      },
    ]);

    const nested = await gql(sim, SHOP, READ_ONLY, `query($id: ID!) { draftOrder(id: $id) { name order { id } lineItems(first: 5) { nodes { sku variant { id } } } } }`, {
      id: `gid://shopify/DraftOrder/${draft.id}`,
    });
    expect(nested.json.data).toEqual({ draftOrder: { name: '#D1', order: null, lineItems: { nodes: [{ sku: 'RED-TS-M', variant: null }] } } });
    expect(Array.isArray(nested.json.errors) && nested.json.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([
      [['draftOrder', 'order'], 'ACCESS_DENIED'],
      [['draftOrder', 'lineItems', 'nodes', 0, 'variant'], 'ACCESS_DENIED'],
    ]);
  });

  it.each([
    ['draftOrders', 'read_draft_orders', '{ draftOrders(first: 1) { nodes { id } } }'],
    ['draftOrder', 'read_draft_orders', '{ draftOrder(id: "gid://shopify/DraftOrder/1") { id } }'],
    ['order', 'read_orders', '{ order(id: "gid://shopify/Order/1") { id } }'],
    ['products', 'read_products', '{ products(first: 1) { nodes { id } } }'],
    ['productVariants', 'read_products', '{ productVariants(first: 1) { nodes { id } } }'],
    ['customers', 'read_customers', '{ customers(first: 1) { nodes { id } } }'],
    ['customerByIdentifier', 'read_customers', '{ customerByIdentifier(identifier: { emailAddress: "a@b.c" }) { id } }'],
  ])('%s needs %s', async (field, scope, query) => {
    const denied = await gql(sim, SHOP, NONE, query);
    expect(denied.status).toBe(200);
    const [error] = Array.isArray(denied.json.errors) ? denied.json.errors : [];
    expect(error?.message).toMatch(new RegExp(`^Access denied for ${field} field\\. Required access: \`${scope}\``));
    sim.store(SHOP).addAccessToken(`tok_${field}`, [scope]);
    expect((await gql(sim, SHOP, `tok_${field}`, query)).json.errors).toBeUndefined();
  });

  it('checks node(id:) by the type it resolves to', async () => {
    const store = sim.store(SHOP);
    const draft = store.createDraft({ lineItems: [{ title: 'x', quantity: 1 }] });
    const variant = store.variantBySku('RED-TS-M').gid;
    const res = await gql(sim, SHOP, READ_ONLY, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [`gid://shopify/DraftOrder/${draft.id}`, variant] });
    expect(res.json.data).toEqual({ nodes: [{ id: `gid://shopify/DraftOrder/${draft.id}` }, null] });
    expect(Array.isArray(res.json.errors) && res.json.errors.map((e) => e.path)).toEqual([['nodes', 1]]);
  });

  it('serves shop and webhook subscriptions without any scope (Shopify requires none for them)', async () => {
    const res = await gql(sim, SHOP, NONE, '{ shop { myshopifyDomain } webhookSubscriptions(first: 5) { nodes { id } } }');
    expect(res.json).toMatchObject({ data: { shop: { myshopifyDomain: SHOP }, webhookSubscriptions: { nodes: [] } } });
    expect(res.json.errors).toBeUndefined();
  });

  it('refuses a webhook topic whose scope the token lacks, with a userError', async () => {
    const create = (topic: string): Promise<Awaited<ReturnType<typeof gql>>> =>
      gql(sim, SHOP, READ_ONLY, `mutation($topic: WebhookSubscriptionTopic!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: "https://example.com/h" }) { webhookSubscription { topic } userErrors { field message } } }`, { topic });
    expect((await create('DRAFT_ORDERS_CREATE')).json.data).toEqual({ webhookSubscriptionCreate: { webhookSubscription: { topic: 'DRAFT_ORDERS_CREATE' }, userErrors: [] } });
    expect((await create('ORDERS_CREATE')).json.data).toEqual({
      webhookSubscriptionCreate: {
        webhookSubscription: null,
        userErrors: [
          {
            field: ['topic'],
            message: 'Topic Invalid topic specified: orders/create. Does it exist? Is there a missing access scope? Topics allowed: draft_orders/create, draft_orders/update, draft_orders/delete',
          },
        ],
      },
    });
  });
});

describe('tokens', () => {
  it('refuses unknown and revoked tokens with 401 like Shopify', async () => {
    const shop = sim.store(SHOP);
    shop.addAccessToken('tok_temp');
    expect((await gql(sim, SHOP, 'tok_temp', '{ shop { name } }')).status).toBe(200);
    shop.revokeAccessToken('tok_temp');
    const revoked = await gql(sim, SHOP, 'tok_temp', '{ shop { name } }');
    expect(revoked).toEqual({ status: 401, json: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } });
    expect((await gql(sim, SHOP, 'nope', '{ shop { name } }')).status).toBe(401);
    sim.reset(); // back to the configured tokens
    expect(shop.accessTokens().map((t) => t.accessToken)).toEqual([FULL, READ_ONLY, NONE]);
  });

  it('adds, rescopes and revokes tokens through the control API', async () => {
    const added = await control<{ accessToken: string; scopes: string[]; revoked: boolean }>(sim, 'POST', `/stores/${SHOP}/tokens`, { scopes: ['read_products'] });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ scopes: ['read_products'], revoked: false });
    const token = added.json.accessToken;
    expect(token).toMatch(/^shpat_/);
    expect((await control(sim, 'POST', `/stores/${SHOP}/tokens`, { accessToken: token })).status).toBe(409);
    expect((await gql(sim, SHOP, token, '{ draftOrders(first: 1) { nodes { id } } }')).json.data).toBeNull();

    expect((await control(sim, 'PUT', `/stores/${SHOP}/tokens/${token}`, { scopes: ['write_draft_orders'] })).json).toMatchObject({ scopes: ['write_draft_orders'] });
    expect((await gql(sim, SHOP, token, '{ draftOrders(first: 1) { nodes { id } } }')).json.errors).toBeUndefined();

    expect((await control(sim, 'DELETE', `/stores/${SHOP}/tokens/${token}`)).json).toMatchObject({ revoked: true });
    expect((await gql(sim, SHOP, token, '{ shop { name } }')).status).toBe(401);
    expect((await control(sim, 'DELETE', `/stores/${SHOP}/tokens/unknown`)).status).toBe(404);
    const list = await control<{ accessToken: string; revoked: boolean }[]>(sim, 'GET', `/stores/${SHOP}/tokens`);
    expect(list.json.find((t) => t.accessToken === token)?.revoked).toBe(true);
  });

  it('creates a store with scoped tokens through the control API', async () => {
    const created = await control(sim, 'POST', '/stores', { shop: 'scoped', accessToken: 'tok_s', scopes: ['read_products'], accessTokens: [{ accessToken: 'tok_s2' }] });
    expect(created.status).toBe(201);
    expect(handles(await gql(sim, 'scoped.myshopify.com', 'tok_s', SCOPES_QUERY))).toEqual(['read_products']);
    expect(handles(await gql(sim, 'scoped.myshopify.com', 'tok_s2', SCOPES_QUERY))).toEqual([...DEFAULT_SCOPES]);
    sim.removeStore('scoped');
  });
});

describe('scope data from the schema', () => {
  it('reads requiredAccess of fields and types from the introspection JSON', async () => {
    const { access } = await loadAdminApi();
    expect(access.forType('DraftOrder')?.anyOf).toEqual(['read_draft_orders', 'read_quick_sale']);
    expect(access.forType('Customer')?.anyOf).toEqual(['read_customers']);
    expect(access.forType('WebhookSubscription')).toBeUndefined();
  });

  it('knows the scope of each webhook topic as the topic enum describes it', () => {
    const raw = JSON.parse(gunzipSync(readFileSync(adminSchemaPath())).toString('utf8')) as {
      data: { __schema: { types: { name: string; enumValues?: { name: string; description: string }[] }[] } };
    };
    const topics = raw.data.__schema.types.find((t) => t.name === 'WebhookSubscriptionTopic')?.enumValues ?? [];
    for (const [topic, scopes] of Object.entries(TOPIC_SCOPES) as [WebhookTopic, readonly string[]][]) {
      const description = topics.find((v) => v.name === topicToEnum(topic))?.description ?? '';
      const named = [...description.matchAll(/`?(read_[a-z_]+)`?/g)].map((m) => m[1]);
      expect(named, topic).toEqual([...scopes]);
    }
  });
});
