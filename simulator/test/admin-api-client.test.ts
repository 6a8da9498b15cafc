// @shopify/admin-api-client (the client the writer uses) against the simulator.
import { createAdminApiClient, type AdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { startSimulator, type Simulator } from '../simulator.js';
import { SOURCE_CATALOG, SOURCE_SHOP } from '../demo-catalog.js';

const SHOP = SOURCE_SHOP;
const clock = new ManualClock();
let sim: Simulator;
let client: AdminApiClient;

interface CostExt {
  cost: {
    requestedQueryCost: number;
    actualQueryCost: number | null;
    throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  };
}

interface DraftResult {
  id: string;
  updatedAt: string;
  legacyResourceId: string;
  tags: string[];
  lineItems: { nodes: unknown[] };
}

const DRAFT_FIELDS = `id legacyResourceId name status email note2 tags updatedAt invoiceSentAt
  customAttributes { key value }
  customer { id email }
  shippingAddress { firstName lastName city countryCodeV2 zip }
  lineItems(first: 50) { nodes { title sku quantity custom variant { id sku } originalUnitPriceWithCurrency { amount currencyCode } } }`;

beforeAll(async () => {
  sim = await startSimulator({ clock, stores: [{ shop: SHOP, accessToken: 'shpat_test' }] });
  sim.store(SHOP).seedProducts(SOURCE_CATALOG);
  sim.store(SHOP).addCustomer({ email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' });
  client = createAdminApiClient({ storeDomain: SHOP, apiVersion: '2026-10', accessToken: 'shpat_test', customFetchApi: sim.fetchApi });
}, 120_000);

afterAll(async () => {
  await sim.close();
});

describe('admin-api-client against the simulator', () => {
  it('creates, updates, queries, invoices and deletes a draft order', async () => {
    const store = sim.store(SHOP);
    const tee = store.variantBySku('RED-TS-M');
    const hoodie = store.variantBySku('BLUE-HD-L');
    const customer = store.store.customerByEmail('jane.doe@example.com');

    const created = await client.request(
      `mutation Create($input: DraftOrderInput!) { draftOrderCreate(input: $input) { draftOrder { ${DRAFT_FIELDS} } userErrors { field message } } }`,
      {
        variables: {
          input: {
            purchasingEntity: { customerId: `gid://shopify/Customer/${customer?.id}` },
            note: 'from eu-brand',
            tags: ['sync-1', 'From eu-brand'],
            customAttributes: [{ key: 'origin', value: 'eu-brand' }],
            shippingAddress: { firstName: 'Jane', lastName: 'Doe', city: 'Berlin', countryCode: 'DE', zip: '10115' },
            lineItems: [
              { variantId: tee.gid, quantity: 1 },
              { variantId: hoodie.gid, quantity: 2 },
            ],
          },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const draft = created.data.draftOrderCreate.draftOrder as DraftResult;
    expect(created.data.draftOrderCreate.userErrors).toEqual([]);
    expect(draft.id).toMatch(/^gid:\/\/shopify\/DraftOrder\/\d{13,}$/);
    expect(draft.legacyResourceId).toBe(draft.id.split('/').pop());
    expect(draft).toMatchObject({
      name: '#D1',
      status: 'OPEN',
      email: 'jane.doe@example.com', // taken from the linked customer
      note2: 'from eu-brand',
      tags: ['From eu-brand', 'sync-1'],
      customer: { email: 'jane.doe@example.com' },
      shippingAddress: { city: 'Berlin', countryCodeV2: 'DE' },
      customAttributes: [{ key: 'origin', value: 'eu-brand' }],
    });
    expect(draft.lineItems.nodes).toEqual([
      { title: 'Red T-Shirt', sku: 'RED-TS-M', quantity: 1, custom: false, variant: { id: tee.gid, sku: 'RED-TS-M' }, originalUnitPriceWithCurrency: { amount: '25.0', currencyCode: 'USD' } },
      { title: 'Blue Hoodie', sku: 'BLUE-HD-L', quantity: 2, custom: false, variant: { id: hoodie.gid, sku: 'BLUE-HD-L' }, originalUnitPriceWithCurrency: { amount: '59.0', currencyCode: 'USD' } },
    ]);
    expect((created.extensions as unknown as CostExt).cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });

    clock.advance(2000);
    const updated = await client.request(
      `mutation Update($id: ID!, $input: DraftOrderInput!) { draftOrderUpdate(id: $id, input: $input) { draftOrder { ${DRAFT_FIELDS} } userErrors { field message } } }`,
      { variables: { id: draft.id, input: { tags: ['sync-1'], lineItems: [{ title: 'Gift wrap', quantity: 1, originalUnitPriceWithCurrency: { amount: '3.50', currencyCode: 'USD' }, sku: 'WRAP' }] } } },
    );
    const after = updated.data.draftOrderUpdate.draftOrder as DraftResult;
    expect(after.tags).toEqual(['sync-1']); // replaced, not merged
    expect(after.lineItems.nodes).toEqual([
      { title: 'Gift wrap', sku: 'WRAP', quantity: 1, custom: true, variant: null, originalUnitPriceWithCurrency: { amount: '3.5', currencyCode: 'USD' } },
    ]);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(draft.updatedAt));

    const found = await client.request(
      `query Find($q: String!) { draftOrders(first: 5, query: $q, sortKey: UPDATED_AT) { edges { cursor node { id name } } pageInfo { hasNextPage } } }`,
      { variables: { q: "tag:'sync-1'" } },
    );
    const edges = found.data.draftOrders.edges as { node: { id: string } }[];
    expect(edges.map((e) => e.node.id)).toEqual([draft.id]);
    const none = await client.request(`{ draftOrders(first: 5, query: "tag:'From eu-brand'") { nodes { id } } }`);
    expect(none.data.draftOrders.nodes).toEqual([]);

    const invoiced = await client.request(
      `mutation Send($id: ID!) { draftOrderInvoiceSend(id: $id) { draftOrder { status invoiceSentAt } userErrors { field message } } }`,
      { variables: { id: draft.id } },
    );
    expect(invoiced.data.draftOrderInvoiceSend.userErrors).toEqual([]);
    expect(invoiced.data.draftOrderInvoiceSend.draftOrder.status).toBe('INVOICE_SENT');
    expect(invoiced.data.draftOrderInvoiceSend.draftOrder.invoiceSentAt).toMatch(/Z$/);

    const deleted = await client.request(
      `mutation Delete($input: DraftOrderDeleteInput!) { draftOrderDelete(input: $input) { deletedId userErrors { field message } } }`,
      { variables: { input: { id: draft.id } } },
    );
    expect(deleted.data.draftOrderDelete).toEqual({ deletedId: draft.id, userErrors: [] });
    const gone = await client.request(`query($id: ID!) { draftOrder(id: $id) { id } }`, { variables: { id: draft.id } });
    expect(gone.data.draftOrder).toBeNull();
  });

  it('answers userErrors like Shopify', async () => {
    const mutation = `mutation($input: DraftOrderInput!) { draftOrderCreate(input: $input) { draftOrder { id } userErrors { field message } } }`;
    const unknownVariant = await client.request(mutation, {
      variables: { input: { lineItems: [{ variantId: 'gid://shopify/ProductVariant/999', quantity: 1 }] } },
    });
    expect(unknownVariant.data.draftOrderCreate.draftOrder).toBeNull();
    expect(unknownVariant.data.draftOrderCreate.userErrors[0].field).toEqual(['lineItems', '0', 'variantId']);
    const empty = await client.request(mutation, { variables: { input: { lineItems: [] } } });
    expect(empty.data.draftOrderCreate.userErrors[0].field).toEqual(['lineItems']);

    const store = sim.store(SHOP);
    const completed = store.completeDraft(store.createDraft({ lineItems: [{ variantId: store.variantBySku('BLK-CAP').gid, quantity: 1 }] }).id);
    const update = await client.request(
      `mutation($id: ID!) { draftOrderUpdate(id: $id, input: {note: "x"}) { draftOrder { id } userErrors { field message } } }`,
      { variables: { id: `gid://shopify/DraftOrder/${completed.id}` } },
    );
    expect(update.data.draftOrderUpdate.userErrors).toHaveLength(1);
    const del = await client.request(
      `mutation($id: ID!) { draftOrderDelete(input: {id: $id}) { deletedId userErrors { field message } } }`,
      { variables: { id: `gid://shopify/DraftOrder/${completed.id}` } },
    );
    expect(del.data.draftOrderDelete.deletedId).toBeNull();
    expect(del.data.draftOrderDelete.userErrors).toHaveLength(1);

    const noRecipient = store.createDraft({ lineItems: [{ variantId: store.variantBySku('BLK-CAP').gid, quantity: 1 }] });
    const invoice = await client.request(
      `mutation($id: ID!) { draftOrderInvoiceSend(id: $id) { draftOrder { id } userErrors { field message } } }`,
      { variables: { id: `gid://shopify/DraftOrder/${noRecipient.id}` } },
    );
    expect(invoice.data.draftOrderInvoiceSend.userErrors).toHaveLength(1);
    const withTo = await client.request(
      `mutation($id: ID!) { draftOrderInvoiceSend(id: $id, email: {to: "x@example.com"}) { draftOrder { status } userErrors { field message } } }`,
      { variables: { id: `gid://shopify/DraftOrder/${noRecipient.id}` } },
    );
    expect(withTo.data.draftOrderInvoiceSend).toEqual({ draftOrder: { status: 'INVOICE_SENT' }, userErrors: [] });
  });

  it('finds variants by SKU/barcode, products by handle, customers by email', async () => {
    const res = await client.request(`{
      bySku: productVariants(first: 5, query: "sku:BLUE-HD-L") { nodes { sku barcode selectedOptions { name value } product { handle } } }
      byBarcode: productVariants(first: 5, query: "barcode:4006381333918") { nodes { sku } }
      products(first: 5, query: "handle:red-t-shirt") { nodes { title handle options { name values } variants(first: 10) { nodes { sku } } } }
      customers(first: 1, query: "email:\\"jane.doe@example.com\\"") { nodes { id firstName defaultEmailAddress { emailAddress } } }
      customerByIdentifier(identifier: { emailAddress: "jane.doe@example.com" }) { lastName }
      shop { myshopifyDomain currencyCode }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.bySku.nodes).toEqual([{ sku: 'BLUE-HD-L', barcode: '4006381334014', selectedOptions: [{ name: 'Size', value: 'L' }], product: { handle: 'blue-hoodie' } }]);
    expect(res.data.byBarcode.nodes).toEqual([{ sku: 'RED-TS-M' }]);
    expect(res.data.products.nodes[0]).toMatchObject({ handle: 'red-t-shirt', options: [{ name: 'Size', values: ['S', 'M', 'L'] }] });
    expect(res.data.products.nodes[0].variants.nodes).toHaveLength(3);
    expect(res.data.customers.nodes[0].defaultEmailAddress.emailAddress).toBe('jane.doe@example.com');
    expect(res.data.customerByIdentifier.lastName).toBe('Doe');
    expect(res.data.shop).toEqual({ myshopifyDomain: SHOP, currencyCode: 'USD' });
  });

  it('pages draftOrders with first/after cursors', async () => {
    const store = sim.store(SHOP);
    store.reset();
    store.seedProducts(SOURCE_CATALOG);
    const ids = Array.from({ length: 5 }, () => store.createDraft({ tags: ['page'], lineItems: [{ title: 'x', quantity: 1 }] }).id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: { draftOrders: { nodes: { legacyResourceId: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } =
        await client.request(`query($after: String) { draftOrders(first: 2, after: $after, query: "tag:page") { nodes { legacyResourceId } pageInfo { hasNextPage endCursor } } }`, {
          variables: { after },
        });
      seen.push(...(page.data?.draftOrders.nodes.map((n) => n.legacyResourceId) ?? []));
      if (!page.data?.draftOrders.pageInfo.hasNextPage) break;
      after = page.data.draftOrders.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids.map(String));
  });

  it('can make draftOrders tag search lag behind writes', async () => {
    const store = sim.store(SHOP);
    store.setFaults({ searchLagMs: 5000 });
    try {
      const draft = store.createDraft({ tags: ['lagging'], lineItems: [{ title: 'x', quantity: 1 }] });
      const search = async (): Promise<unknown[]> =>
        ((await client.request(`{ draftOrders(first: 5, query: "tag:lagging") { nodes { id } } }`)).data.draftOrders.nodes as unknown[]);
      expect(await search()).toEqual([]); // not indexed yet
      const direct = await client.request(`query($id: ID!) { draftOrder(id: $id) { id } }`, { variables: { id: `gid://shopify/DraftOrder/${draft.id}` } });
      expect(direct.data.draftOrder).not.toBeNull(); // reads by id are immediate
      clock.advance(5000);
      expect(await search()).toEqual([{ id: `gid://shopify/DraftOrder/${draft.id}` }]);
    } finally {
      store.setFaults({ searchLagMs: 0 });
    }
  });

  it('rejects operations that are invalid against the real schema, and unimplemented fields by name', async () => {
    const invalid = await client.request(`{ draftOrders(first: 1) { nodes { id noteX } } }`);
    expect(invalid.data).toBeUndefined();
    expect(invalid.errors?.graphQLErrors?.[0]?.message).toBe('Cannot query field "noteX" on type "DraftOrder". Did you mean "note2" or "name"?');

    const badArg = await client.request(`mutation { draftOrderCreate(input: { lineItems: [{ variantId: "x" }] }) { draftOrder { id } } }`);
    expect(badArg.errors?.graphQLErrors?.[0]?.message).toMatch(/quantity/);

    const unimplemented = await client.request(`{ shop { name billingAddress { city } } }`);
    expect(unimplemented.errors?.graphQLErrors?.[0]?.message).toBe("Field 'Shop.billingAddress' is not implemented by the Shopify simulator");
  });

  it('refuses a wrong access token with 401', async () => {
    const bad = createAdminApiClient({ storeDomain: SHOP, apiVersion: '2026-10', accessToken: 'wrong', customFetchApi: sim.fetchApi });
    const res = await bad.request('{ shop { name } }');
    expect(res.errors?.networkStatusCode).toBe(401);
  });

  it('routes by Host header too', async () => {
    const response = await fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': 'shpat_test', Host: SHOP },
      body: JSON.stringify({ query: '{ shop { myshopifyDomain } }' }),
    });
    // fetch may not let us override Host; the node http client can:
    if (response.status === 404) {
      const { request } = await import('node:http');
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(`${sim.url}/admin/api/2026-10/graphql.json`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': 'shpat_test', Host: SHOP },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ query: '{ shop { myshopifyDomain } }' }));
      });
      expect(JSON.parse(body).data.shop.myshopifyDomain).toBe(SHOP);
    } else {
      expect(((await response.json()) as { data: { shop: { myshopifyDomain: string } } }).data.shop.myshopifyDomain).toBe(SHOP);
    }
  });

  it('throttles when the bucket is exhausted and refills at restoreRate', async () => {
    const store = sim.store(SHOP);
    store.setThrottle({ maximumAvailable: 2000, restoreRate: 100, currentlyAvailable: 2000 });
    const query = `{ draftOrders(first: 250) { nodes { id lineItems(first: 1) { nodes { sku } } } } }`; // requested 2 + 250×(1+3) = 1002 > 1000
    const tooBig = await client.request(query);
    expect(tooBig.errors?.graphQLErrors?.[0]?.extensions?.code).toBe('MAX_COST_EXCEEDED');

    const heavy = `{ draftOrders(first: 240) { nodes { id lineItems(first: 1) { nodes { sku } } } } }`; // 962
    const first = await client.request(heavy);
    const firstCost = (first.extensions as unknown as CostExt).cost;
    expect(firstCost.requestedQueryCost).toBe(962);
    expect(firstCost.actualQueryCost).toBeLessThan(962); // few drafts exist: refunded
    // Drain the bucket with mutations (cost 10 each, never refunded).
    store.setThrottle({ currentlyAvailable: 15 });
    const ok = await client.request(`mutation { draftOrderDelete(input: {id: "gid://shopify/DraftOrder/1"}) { deletedId } }`);
    expect((ok.extensions as unknown as CostExt).cost.throttleStatus.currentlyAvailable).toBe(5);
    const throttled = await client.request(`mutation { draftOrderDelete(input: {id: "gid://shopify/DraftOrder/1"}) { deletedId } }`);
    expect(throttled.data).toBeUndefined();
    expect(throttled.errors?.networkStatusCode).toBe(200);
    expect(throttled.errors?.graphQLErrors?.[0]).toMatchObject({ message: 'Throttled', extensions: { code: 'THROTTLED' } });
    expect((throttled.extensions as unknown as CostExt).cost).toEqual({
      requestedQueryCost: 10,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 5, restoreRate: 100 },
    });
    clock.advance(1000); // +100 points
    const refilled = await client.request(`{ shop { name } }`);
    expect((refilled.extensions as unknown as CostExt).cost.throttleStatus.currentlyAvailable).toBe(5 + 100 - 1); // after its own cost of 1
    expect(store.stats.throttled).toBe(1);
  });
});
