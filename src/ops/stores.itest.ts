// `stores check` and `stores connect` against simulated stores that answer like Shopify: scoped
// tokens, the webhook subscription API, deliveries only to subscriptions that exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../shared/config/index.js';
import { Pipeline } from '../../test/support/pipeline.js';
import { waitFor } from '../../test/support/wait.js';
import { checkStores, connectStores } from './stores.js';

describe('stores check and connect', () => {
  let p: Pipeline;
  const callback = (): string => `${p.config.ingest.publicUrl}${WEBHOOK_PATH}`;
  const subscriptionsOf = (shop: 'source' | 'destination') => p[shop].store.subscriptions();

  beforeAll(async () => {
    p = await Pipeline.start('stores', { subscribe: false });
  });

  afterAll(async () => {
    await p?.close();
  });

  it('names a scope the token lacks, and a refused token', async () => {
    const token = p.destination.accessToken;
    p.destination.setAccessScopes(token, ['read_products']);
    try {
      const [, eu] = await checkStores(p.config);
      expect(eu!.shop).toBe(p.destination.shop);
      expect(eu!.scopes.missing).toEqual(['read_draft_orders']);
      expect(eu!.problems.join('\n')).toMatch(/eu-brand\.myshopify\.com: missing access scope\(s\) read_draft_orders/);
    } finally {
      p.destination.setAccessScopes(token, ['read_draft_orders', 'read_orders', 'read_products', 'read_customers']);
    }
    const spare = 'shpat_revoked_for_test';
    p.source.addAccessToken(spare);
    p.source.revokeAccessToken(spare);
    const refused = await checkStores({ ...p.config, stores: p.config.stores.map((s) => (s.shop === p.source.shop ? { ...s, adminApiToken: spare } : s)) }, { shop: p.source.shop });
    expect(refused[0]!.token).toBe('refused');
    expect(refused[0]!.problems[0]).toMatch(/mainbrand\.myshopify\.com: the Admin API token was refused/);
  });

  it('creates the missing subscriptions, fixes a wrong address, leaves a foreign one alone; a second run changes nothing', async () => {
    const oldAddress = 'http://127.0.0.1:9/webhooks/shopify';
    const foreign = 'http://127.0.0.1:9/crm/hooks';
    p.destination.subscribe('draft_orders/update', oldAddress);
    p.destination.subscribe('products/update', foreign);

    const before = await checkStores(p.config, { shop: p.destination.shop });
    expect(before[0]!.subscriptions!.topics.find((t) => t.topic === 'DRAFT_ORDERS_CREATE')!.problems).toEqual(['not subscribed']);
    expect(before[0]!.problems.some((line) => line.includes(`address ${oldAddress}`))).toBe(true);

    const dry = await connectStores(p.config, { dryRun: true });
    expect(dry.flatMap((r) => r.actions).length).toBeGreaterThan(0);
    expect(subscriptionsOf('destination')).toHaveLength(2);

    const first = await connectStores(p.config);
    expect(first.every((r) => r.stopped === null)).toBe(true);
    const destination = subscriptionsOf('destination');
    const ours = destination.filter((s) => s.uri === callback());
    expect(ours.map((s) => s.topic).sort()).toEqual(
      ['draft_orders/create', 'draft_orders/delete', 'draft_orders/update', 'products/create', 'products/delete', 'products/update'].sort(),
    );
    expect(destination.filter((s) => s.uri === foreign)).toHaveLength(1);
    expect(destination.filter((s) => s.uri === oldAddress)).toHaveLength(0);
    expect(subscriptionsOf('source').map((s) => s.topic).sort()).toEqual(['products/create', 'products/delete', 'products/update']);

    const mutations = p.destination.stats.mutations + p.source.stats.mutations;
    const second = await connectStores(p.config);
    expect(second.flatMap((r) => r.actions)).toEqual([]);
    expect(p.destination.stats.mutations + p.source.stats.mutations).toBe(mutations);
    const after = await checkStores(p.config);
    expect(after.flatMap((c) => c.problems)).toEqual([]);
  });

  it('after connect, a draft created in the destination arrives through the subscription and syncs', async () => {
    await p.mapAll();
    const draft = p.createDraft({ 'RED-TS-M': 1, 'BLUE-HD-L': 2 });
    await waitFor('the copy in the source store', () => p.copiesOf(draft.id).length === 1, { timeoutMs: 30_000 });
    expect(p.copiesOf(draft.id)[0]!.lines.map((l) => l.quantity).sort()).toEqual([1, 2]);
  });

  it('refuses to connect without ingest.publicUrl, naming the setting', async () => {
    await expect(connectStores({ ...p.config, ingest: { publicUrl: null, webhookApiVersion: null } })).rejects.toThrow(/ingest\.publicUrl is not configured/);
  });
});
