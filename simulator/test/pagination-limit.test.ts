// The pagination cap on root connections (25,000 by default, lowered here to 20): pages stop
// at the cap, a cursor past it is refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paginate } from '../graphql/connection.js';
import { SOURCE_CATALOG, SOURCE_SHOP } from '../demo-catalog.js';
import { startSimulator, type Simulator } from '../simulator.js';
import { control, gql } from './graphql-call.js';

const SHOP = SOURCE_SHOP;
const TOKEN = 'tok';
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ stores: [{ shop: SHOP, accessToken: TOKEN, limits: { paginationLimit: 20 } }] });
}, 120_000);

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  sim.store(SHOP).seedProducts(SOURCE_CATALOG);
});

interface Page {
  nodes: { legacyResourceId: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function walk(field: 'draftOrders' | 'orders', first: number, extra = ''): Promise<{ seen: string[]; pages: number[]; error?: unknown; data?: unknown }> {
  const seen: string[] = [];
  const pages: number[] = [];
  let after: string | null = null;
  for (;;) {
    const res = await gql(sim, SHOP, TOKEN, `query($after: String) { ${field}(first: ${first}, after: $after${extra}) { nodes { legacyResourceId } pageInfo { hasNextPage endCursor } } }`, { after });
    if (res.json.errors) return { seen, pages, error: Array.isArray(res.json.errors) ? res.json.errors[0] : res.json.errors, data: res.json.data };
    const page = res.json.data?.[field] as Page;
    seen.push(...page.nodes.map((n) => n.legacyResourceId));
    pages.push(page.nodes.length);
    if (!page.pageInfo.hasNextPage) return { seen, pages };
    after = page.pageInfo.endCursor;
  }
}

describe('pagination limit', () => {
  it('stops draftOrders at the limit: the last page is cut short, the cursor after it refused', async () => {
    const store = sim.store(SHOP);
    const ids = Array.from({ length: 25 }, () => String(store.createDraft({ lineItems: [{ title: 'x', quantity: 1 }] }).id));
    const { seen, pages, error, data } = await walk('draftOrders', 8);
    expect(pages).toEqual([8, 8, 4]);
    expect(seen).toEqual(ids.slice(0, 20));
    expect(data).toBeNull(); // draftOrders is non-null: the error nulls the whole answer
    expect(error).toMatchObject({
      message: 'Cannot paginate past the 20th object of this connection. Narrow the results with a search query (e.g. by updated_at) instead.',
      path: ['draftOrders'],
      extensions: { code: 'PAGINATION_LIMIT_EXCEEDED', limit: 20 },
    });
    // Narrowing the query brings the rest within reach (the limit counts matches, not the store).
    const rest = await walk('draftOrders', 8, `, query: "id:>=${ids[20]}"`);
    expect(rest).toEqual({ seen: ids.slice(20), pages: [5] });
  });

  it('applies to orders, to reverse and to last/before paging', async () => {
    const store = sim.store(SHOP);
    const variantId = store.variantBySku('RED-TS-M').gid;
    for (let i = 0; i < 22; i++) store.placeOrder({ lineItems: [{ variantId, quantity: 1 }] });
    const forward = await walk('orders', 10);
    expect(forward.pages).toEqual([10, 10]);
    expect(forward.error).toMatchObject({ path: ['orders'], extensions: { code: 'PAGINATION_LIMIT_EXCEEDED' } });
    expect((await walk('orders', 10, ', reverse: true')).error).toMatchObject({ extensions: { code: 'PAGINATION_LIMIT_EXCEEDED' } });
    const last = await gql(sim, SHOP, TOKEN, '{ orders(last: 5) { nodes { id } } }'); // the last 5 sit past the 20th
    expect(Array.isArray(last.json.errors) && last.json.errors[0]?.extensions?.['code']).toBe('PAGINATION_LIMIT_EXCEEDED');
  });

  it('is set per store through the TS and control APIs (null: no limit)', async () => {
    const store = sim.store(SHOP);
    for (let i = 0; i < 25; i++) store.createDraft({ lineItems: [{ title: 'x', quantity: 1 }] });
    expect(store.setLimits({ paginationLimit: null })).toEqual({ paginationLimit: null, webhookSubscriptionLimit: 1000 });
    expect((await walk('draftOrders', 10)).pages).toEqual([10, 10, 5]);
    expect((await control(sim, 'PUT', `/stores/${SHOP}/limits`, { paginationLimit: 12 })).json).toEqual({ paginationLimit: 12, webhookSubscriptionLimit: 1000 });
    expect((await walk('draftOrders', 10)).pages).toEqual([10, 2]);
    expect((await control(sim, 'GET', `/stores/${SHOP}/limits`)).json).toMatchObject({ paginationLimit: 12 });
    expect((await control(sim, 'PUT', `/stores/${SHOP}/limits`, { paginationLimit: 0 })).status).toBe(400);
    sim.reset();
    expect(store.limits.paginationLimit).toBe(20); // back to the store's configuration
  });
});

describe('paginate', () => {
  const items = Array.from({ length: 6 }, (_, i) => ({ id: i + 1 }));
  const page = (args: Parameters<typeof paginate>[1]): number[] => paginate(items, args, (x) => x.id, (x) => x.id, 'Edge', 4).nodes;

  it('never returns objects past the limit', () => {
    expect(page({ first: 10 })).toEqual([1, 2, 3, 4]);
    expect(page({ first: 2, reverse: true })).toEqual([6, 5]);
    expect(() => page({ last: 2 })).toThrow(/past the 4th object/);
    expect(paginate(items, { first: 10 }, (x) => x.id, (x) => x.id, 'Edge', 4).pageInfo.hasNextPage).toBe(true);
  });
});
