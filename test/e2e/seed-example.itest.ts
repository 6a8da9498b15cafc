// The seed example end to end, all in-process on the real Kafka, registry and Redis: eu-brand
// (simulated destination) sends signed webhooks to ingest → raw topic → mapper → mapped topic →
// writer → mainbrand (simulated source) and the sync-events topic. Then an update, duplicate and
// out-of-order deliveries, and a delete.
import { createAdminApiClient } from '@shopify/admin-api-client';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type RunningIngest } from '../../services/ingest/src/ingest.js';
import { startMapper, type RunningMapper } from '../../services/mapper/src/mapper.js';
import { collectEvents, type TopicCollector } from '../support/writer-topics.js';
import { startWriter, type RunningWriter } from '../../services/writer/src/writer.js';
import { DESTINATION_CATALOG, DESTINATION_CUSTOMERS, SOURCE_CATALOG, SOURCE_CUSTOMERS } from '../../simulator/demo-catalog.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import type { SimulatedShop } from '../../simulator/shop.js';
import type { DraftOrder } from '../../simulator/store/model.js';
import { keyOf, syncTagFor } from '../../src/domain/keys.js';
import type { DraftOrderSyncEvent } from '../../src/contracts/sync-event.js';
import { rebuildConnectionMappings, RedisMappingStore, type GraphqlRequest } from '../../src/variant-mappings/index.js';
import { parseConfigText, type AppConfig } from '../../src/shared/config/index.js';
import type { TopicNames } from '../../src/shared/kafka/topics.js';
import { createLogger } from '../../src/shared/log.js';
import type { RedisClient } from '../../src/shared/redis.js';
import { deleteKeys, freshTopics, serviceSettings, testKafka, testRedis, testRegistry, uniqueId } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { WEBHOOK_PATH } from '../../src/shared/config/index.js';

const MAIN = 'mainbrand.myshopify.com';
const EU = 'eu-brand.myshopify.com';

function pipelineConfig(sim: Simulator): AppConfig {
  const main = sim.info(MAIN);
  const eu = sim.info(EU);
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: MAIN, adminTokenEnv: 'MAIN_TOKEN', webhookSecretEnvs: ['MAIN_SECRET'], adminApiUrl: main.adminBaseUrl },
        { shop: EU, adminTokenEnv: 'EU_TOKEN', webhookSecretEnvs: ['EU_SECRET'], adminApiUrl: eu.adminBaseUrl },
      ],
      connections: [{ id: 'eu', source: MAIN, destination: EU, originTag: 'From {shop}' }],
    }),
    { MAIN_TOKEN: main.accessToken, MAIN_SECRET: main.webhookSecret, EU_TOKEN: eu.accessToken, EU_SECRET: eu.webhookSecret },
    'json',
  );
}

function graphqlOf(sim: Simulator, shop: SimulatedShop): GraphqlRequest {
  const client = createAdminApiClient({ storeDomain: shop.shop, apiVersion: '2026-10', accessToken: shop.accessToken, customFetchApi: sim.fetchApi });
  return async (query, variables) => {
    const { data, errors } = await client.request<unknown>(query, { variables });
    if (errors) throw new Error(errors.message ?? 'GraphQL request failed');
    return data;
  };
}

describe('seed example end to end: eu-brand → ingest → mapper → writer → mainbrand', () => {
  let sim: Simulator;
  let main: SimulatedShop;
  let eu: SimulatedShop;
  let kafka: Kafka;
  let topics: TopicNames;
  let redis: RedisClient;
  let events: TopicCollector<DraftOrderSyncEvent>;
  let ingest: RunningIngest | undefined;
  let mapper: RunningMapper | undefined;
  let writer: RunningWriter | undefined;
  const mappingPrefix = `${uniqueId('e2e-map')}:`;
  const writerPrefix = `${uniqueId('e2e-writer')}:`;
  let origin: DraftOrder;

  beforeAll(async () => {
    sim = await startSimulator({
      stores: [
        { shop: MAIN, currency: 'USD' },
        { shop: EU, currency: 'EUR' },
      ],
    });
    main = sim.store(MAIN);
    eu = sim.store(EU);
    main.seedProducts(SOURCE_CATALOG);
    eu.seedProducts(DESTINATION_CATALOG);
    for (const c of SOURCE_CUSTOMERS) main.addCustomer(c);
    for (const c of DESTINATION_CUSTOMERS) eu.addCustomer(c);

    kafka = testKafka('e2e');
    topics = await freshTopics(kafka, 'e2e', 3);
    redis = testRedis();
    const config = pipelineConfig(sim);
    const { infra, names } = serviceSettings(topics, { REDIS_KEY_PREFIX: mappingPrefix, WRITER_REDIS_PREFIX: writerPrefix });

    // Mappings built the way the CLI does: both catalogs over the Admin API, matched by SKU.
    const built = await rebuildConnectionMappings({
      connection: { id: 'eu', variantMatch: 'sku' },
      source: graphqlOf(sim, main),
      destination: graphqlOf(sim, eu),
      store: new RedisMappingStore(redis, { prefix: mappingPrefix }),
    });
    expect(built.report.mapped).toBeGreaterThanOrEqual(5);

    events = await collectEvents(kafka, testRegistry(), topics);
    const logger = createLogger('e2e', 'warn');
    ingest = await startIngest({ config, infra, names, logger, metricsRegistry: new Registry(), host: '127.0.0.1', port: 0, bodyLimitBytes: 1_048_576, publishTimeoutMs: 3000 });
    mapper = await startMapper({ config, infra, names, logger, metricsRegistry: new Registry() });
    writer = await startWriter({ config, infra, names, logger, metricsRegistry: new Registry(), commitIntervalMs: 200 });
    for (const topic of ['draft_orders/create', 'draft_orders/update', 'draft_orders/delete']) eu.subscribe(topic, `${ingest.url}${WEBHOOK_PATH}`);
  });

  afterAll(async () => {
    await writer?.stop();
    await mapper?.stop();
    await ingest?.stop();
    await events?.stop();
    await sim?.close();
    if (redis) {
      await deleteKeys(redis, mappingPrefix);
      await deleteKeys(redis, writerPrefix);
      redis.disconnect();
    }
  });

  const key = (): string => keyOf({ shop: EU, kind: 'draft', id: String(origin.id), name: null });
  const copies = () => main.store.drafts().filter((d) => d.tags.includes(syncTagFor(key())));
  const outcomes = () => events.items.filter((e) => e.key === key()).map((e) => e.outcome);
  const mainVariant = (sku: string) => main.variantBySku(sku).id;
  const quantities = (d: DraftOrder | undefined) => d?.lines.map((l) => [l.variantId, l.quantity]);
  /** Shopify's updated_at has whole seconds: a change is only "newer" in a later second. */
  const nextSecond = async (): Promise<void> => {
    const now = Math.floor(Date.now() / 1000);
    await waitFor('the next second', () => Math.floor(Date.now() / 1000) > now, { intervalMs: 20 });
  };

  it('a draft created in eu-brand appears once in mainbrand with mapped lines, customer, note, tags and origin tag', async () => {
    const jane = eu.store.customers().find((c) => c.email === 'jane.doe@example.com')!;
    origin = eu.createDraft({
      lineItems: [
        { variantId: eu.variantBySku('RED-TS-M').gid, quantity: 1 },
        { variantId: eu.variantBySku('BLUE-HD-M').gid, quantity: 2 },
      ],
      purchasingEntity: { customerId: `gid://shopify/Customer/${jane.id}` },
      email: 'jane.doe@example.com',
      note: 'Please gift wrap',
      tags: ['vip', 'spring'],
    });
    await waitFor('CREATED event', () => outcomes().includes('CREATED'), { timeoutMs: 30_000 });
    const [copy, ...others] = copies();
    expect(others).toHaveLength(0);
    expect(quantities(copy)).toEqual([
      [mainVariant('RED-TS-M'), 1],
      [mainVariant('BLUE-HD-M'), 2],
    ]);
    const mainJane = main.store.customers().find((c) => c.email === 'jane.doe@example.com')!;
    expect(copy?.customerId).toBe(mainJane.id);
    expect(copy?.note).toBe('Please gift wrap');
    expect(copy?.tags).toEqual(expect.arrayContaining(['vip', 'spring', 'From eu-brand', syncTagFor(key())]));
    expect(outcomes()).toEqual(['CREATED']);
  });

  it('an update in eu-brand updates the copy', async () => {
    await nextSecond();
    eu.updateDraft(origin.id, {
      lineItems: [
        { variantId: eu.variantBySku('RED-TS-M').gid, quantity: 3 },
        { variantId: eu.variantBySku('BLUE-HD-M').gid, quantity: 1 },
      ],
    });
    await waitFor('UPDATED event', () => outcomes().includes('UPDATED'), { timeoutMs: 30_000 });
    expect(copies()).toHaveLength(1);
    expect(quantities(copies()[0])).toEqual([
      [mainVariant('RED-TS-M'), 3],
      [mainVariant('BLUE-HD-M'), 1],
    ]);
  });

  it('duplicate and out-of-order deliveries: the copy holds the newest version, no extra drafts', async () => {
    const before = events.items.length;
    // Two updates, each delivered twice, held back and then released newest first.
    eu.webhookFaults.holdNext(2);
    eu.webhookFaults.duplicateNext(2);
    await nextSecond();
    eu.updateDraft(origin.id, { note: 'second', lineItems: [{ variantId: eu.variantBySku('RED-TS-M').gid, quantity: 4 }] });
    await nextSecond();
    eu.updateDraft(origin.id, { note: 'newest', lineItems: [{ variantId: eu.variantBySku('BLUE-HD-L').gid, quantity: 5 }] });
    await waitFor('both updates held', () => sim.webhooks.deliveries({ topic: 'draft_orders/update' }).filter((d) => d.state === 'held').length >= 4);
    expect(await sim.webhooks.release({ shop: EU, order: 'reverse' })).toBe(4);
    await waitFor('an event per delivery', () => events.items.length - before >= 4, { timeoutMs: 30_000 });
    const [copy, ...others] = copies();
    expect(others).toHaveLength(0);
    expect(copy?.note).toBe('newest');
    expect(quantities(copy)).toEqual([[mainVariant('BLUE-HD-L'), 5]]);
    const latest = events.items.slice(before).map((e) => e.outcome);
    expect(latest.filter((o) => o === 'UPDATED').length).toBeGreaterThanOrEqual(1);
    expect(latest.every((o) => o === 'UPDATED' || o === 'SKIPPED')).toBe(true);
  });

  it('a delete in eu-brand deletes the copy', async () => {
    eu.deleteDraft(origin.id);
    await waitFor('DELETED event', () => outcomes().includes('DELETED'), { timeoutMs: 30_000 });
    expect(copies()).toHaveLength(0);
    expect(main.store.drafts()).toHaveLength(0);
  });
});
