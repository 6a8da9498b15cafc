// The mapper against the real broker, registry and Redis; Shopify bodies from the simulator
// (draft and product webhooks) or from the recorded REST fixtures.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTagFor } from '../../../src/domain/keys.js';
import type { MappedDraftOrder } from '../../../src/domain/model.js';
import { RedisMappingStore } from '../../../src/variant-mappings/index.js';
import type { TopicNames } from '../../../src/shared/kafka/topics.js';
import { createLogger } from '../../../src/shared/log.js';
import type { RedisClient } from '../../../src/shared/redis.js';
import { DESTINATION_CATALOG, SOURCE_CATALOG } from '../../../simulator/demo-catalog.js';
import { startSimulator, type Simulator } from '../../../simulator/simulator.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../simulator/testing/webhook-receiver.js';
import { deleteKeys, freshTopics, testKafka, testRedis, testRegistry, uniqueId, serviceSettings } from '../../../test/support/infra.js';
import { waitFor } from '../../../test/support/wait.js';
import {
  CONNECTION_OF,
  envelopeOf,
  mapperTestConfig,
  RawFeeder,
  readDeadLetters,
  readMapped,
  SHOPS,
  SOURCE,
  type Decoded,
} from '../../../test/support/mapper-harness.js';
import { startMapper, type RunningMapper } from './mapper.js';
import { fixtureJson } from '../../../test/support/fixtures.js';

const fixture = fixtureJson;
const DRAFT = fixture('rest-draft-seed.json');
const ORDER = fixture('rest-order-seed.json');
/** The fixture's two destination variants: the first is mapped below, the second is not. */
const MAPPED_VARIANT = '45000000000001';
const UNMAPPED_VARIANT = '45000000000002';

let nextId = 1000;
const newId = (): string => String(++nextId);
const draftBody = (id: string, patch: Record<string, unknown> = {}): string => JSON.stringify({ ...DRAFT, id: Number(id), ...patch });

describe('mapper', () => {
  let kafka: Kafka;
  let topics: TopicNames;
  let registry: SchemaRegistry;
  let redis: RedisClient;
  let store: RedisMappingStore;
  let feeder: RawFeeder;
  let mapper: RunningMapper;
  let sim: Simulator;
  let receiver: WebhookReceiver;
  const redisPrefix = `${uniqueId('mapper-itest')}:`;

  /** Each key's mapped records, once every key has at least `count` (one consumer-group join per call). */
  const mappedFor = async (keys: readonly string[], count = 1): Promise<Map<string, Decoded<MappedDraftOrder>[]>> => {
    const group = (records: Decoded<MappedDraftOrder>[]): Map<string, Decoded<MappedDraftOrder>[]> =>
      new Map(keys.map((key) => [key, records.filter((r) => r.value.key === key)]));
    const all = await readMapped(kafka, registry, topics.mapped, (records) => [...group(records).values()].every((list) => list.length >= count));
    return group(all);
  };

  beforeAll(async () => {
    kafka = testKafka('mapper-itest');
    topics = await freshTopics(kafka, 'mapper');
    registry = testRegistry();
    redis = testRedis();
    store = new RedisMappingStore(redis, { prefix: redisPrefix });
    feeder = await RawFeeder.start(kafka, registry, topics);
    sim = await startSimulator({ stores: [{ shop: SOURCE }, { shop: SHOPS.eu }] });
    sim.store(SOURCE).seedProducts(SOURCE_CATALOG);
    sim.store(SHOPS.eu).seedProducts(DESTINATION_CATALOG);
    receiver = await startWebhookReceiver();
    for (const shop of ['partial', 'custom', 'off', 'noOrders'] as const) {
      await store.replaceAll(CONNECTION_OF[shop], [[MAPPED_VARIANT, '9100000000001']]);
    }
    await store.replaceAll(CONNECTION_OF.eu, [[MAPPED_VARIANT, '9100000000001']]);
    mapper = await startMapper({
      config: mapperTestConfig(),
      ...serviceSettings(topics, { MAPPER_GROUP_ID: uniqueId('mapper-itest'), REDIS_KEY_PREFIX: redisPrefix }),
      logger: createLogger('mapper-itest', process.env.TEST_LOG_LEVEL ?? 'silent'),
      metricsRegistry: new Registry(),
      opsPort: 0,
      sessionTimeoutMs: 10_000,
    });
  });

  afterAll(async () => {
    await mapper?.stop();
    await feeder?.stop();
    await receiver?.close();
    await sim?.close();
    if (redis) {
      await deleteKeys(redis, redisPrefix);
      redis.disconnect();
    }
  });

  it('maps the seed example: 1× Red T-Shirt and 2× Blue Hoodie from eu-brand, both mapped', async () => {
    const eu = sim.store(SHOPS.eu);
    const main = sim.store(SOURCE);
    const tee = eu.variantBySku('RED-TS-M');
    const hoodie = eu.variantBySku('BLUE-HD-L');
    await store.set(CONNECTION_OF.eu, String(tee.id), String(main.variantBySku('RED-TS-M').id));
    await store.set(CONNECTION_OF.eu, String(hoodie.id), String(main.variantBySku('BLUE-HD-L').id));
    const jane = eu.addCustomer({ email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', phone: '+4915112345678' });
    eu.subscribe('draft_orders/create', receiver.url);
    const draft = eu.createDraft({
      purchasingEntity: { customerId: `gid://shopify/Customer/${jane.id}` },
      email: 'jane.doe@example.com',
      note: 'Seed example: please gift-wrap',
      tags: ['vip', 'wholesale'],
      shippingAddress: { firstName: 'Jane', lastName: 'Doe', address1: 'Hauptstr. 1', city: 'Berlin', countryCode: 'DE', zip: '10115' },
      lineItems: [
        { variantId: tee.gid, quantity: 1 },
        { variantId: hoodie.gid, quantity: 2 },
      ],
    });
    const [webhook] = await receiver.waitFor((r) => r.some((w) => w.topic === 'draft_orders/create'));
    await feeder.send(envelopeOf({ topic: 'draft_orders/create', shop: SHOPS.eu, originId: String(draft.id), body: webhook!.rawBody }));

    const key = `${SHOPS.eu}/draft/${draft.id}`;
    const [out, ...more] = (await mappedFor([key])).get(key)!;
    expect(more).toHaveLength(0);
    expect(out!.record.key).toBe(key);
    const mapped = out!.value;
    expect(mapped).toMatchObject({ action: 'UPSERT', connectionId: CONNECTION_OF.eu, sourceShop: SOURCE, skipReason: null, missingVariants: [] });
    expect(mapped.origin).toEqual({ shop: SHOPS.eu, kind: 'draft', id: String(draft.id), name: `#D${draft.number}` });
    expect(mapped.draft!.lines.map((l) => (l.kind === 'variant' ? [l.sourceVariantId, l.quantity] : null))).toEqual([
      [main.variantBySku('RED-TS-M').gid, 1],
      [main.variantBySku('BLUE-HD-L').gid, 2],
    ]);
    expect(mapped.draft!.email).toBe('jane.doe@example.com');
    expect(mapped.draft!.customer).toMatchObject({ email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' });
    expect(mapped.draft!.shippingAddress).toMatchObject({ firstName: 'Jane', city: 'Berlin', countryCode: 'DE' });
    expect(mapped.draft!.note).toBe('Seed example: please gift-wrap');
    expect(mapped.draft!.tags).toEqual(expect.arrayContaining(['vip', 'wholesale', 'From eu-brand']));
  });

  it('turns an order into a draft whose note names it when the order trigger is on, and skips it when off', async () => {
    const onId = newId();
    const offId = newId();
    await feeder.send(
      envelopeOf({ topic: 'orders/create', shop: SHOPS.eu, originId: onId, body: JSON.stringify({ ...ORDER, id: Number(onId) }) }),
      envelopeOf({ topic: 'orders/create', shop: SHOPS.noOrders, originId: offId, body: JSON.stringify({ ...ORDER, id: Number(offId) }) }),
    );
    const onKey = `${SHOPS.eu}/order/${onId}`;
    const offKey = `${SHOPS.noOrders}/order/${offId}`;
    const first = await mappedFor([onKey, offKey]);
    const [on] = first.get(onKey)!;
    // The order's hoodie line is not mapped on eu-brand (skip policy) unless mapped: map it and replay.
    expect(on!.value).toMatchObject({ action: 'SKIP', skipReason: 'UNMAPPED', missingVariants: [UNMAPPED_VARIANT] });
    await store.set(CONNECTION_OF.eu, UNMAPPED_VARIANT, '9100000000002');
    await feeder.send(envelopeOf({ topic: 'orders/create', shop: SHOPS.eu, originId: onId, body: JSON.stringify({ ...ORDER, id: Number(onId) }), source: 'redrive' }));
    const replayed = (await mappedFor([onKey], 2)).get(onKey)![1]!.value;
    expect(replayed).toMatchObject({ action: 'UPSERT', recordSource: 'redrive', origin: { kind: 'order', name: '#1001' } });
    expect(replayed.draft!.note).toBe(`Created from order #1001 in ${SHOPS.eu}\n\nLeave at the door`);
    expect(replayed.draft!.lines).toEqual([
      expect.objectContaining({ kind: 'variant', sourceVariantId: 'gid://shopify/ProductVariant/9100000000002', quantity: 1 }),
      expect.objectContaining({ kind: 'custom', title: 'Gift note', quantity: 1 }),
    ]);
    await store.delete(CONNECTION_OF.eu, UNMAPPED_VARIANT);

    const [off] = first.get(offKey)!;
    expect(off!.value).toMatchObject({ action: 'SKIP', skipReason: 'ORDER_TRIGGER_OFF', draft: null });
  });

  it('applies each unmapped policy and remembers the unmapped variants', async () => {
    const [skipId, partialId, customId] = [newId(), newId(), newId()];
    await feeder.send(
      envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.eu, originId: skipId, body: draftBody(skipId) }),
      envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.partial, originId: partialId, body: draftBody(partialId) }),
      envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.custom, originId: customId, body: draftBody(customId) }),
    );
    const keys = [`${SHOPS.eu}/draft/${skipId}`, `${SHOPS.partial}/draft/${partialId}`, `${SHOPS.custom}/draft/${customId}`];
    const out = await mappedFor(keys);
    const [skip] = out.get(keys[0]!)!;
    expect(skip!.value).toMatchObject({ action: 'SKIP', skipReason: 'UNMAPPED', missingVariants: [UNMAPPED_VARIANT], draft: null });

    const [partial] = out.get(keys[1]!)!;
    expect(partial!.value).toMatchObject({ action: 'UPSERT', missingVariants: [UNMAPPED_VARIANT] });
    expect(partial!.value.draft!.lines).toEqual([expect.objectContaining({ kind: 'variant', sourceVariantId: 'gid://shopify/ProductVariant/9100000000001', quantity: 1 })]);
    expect(partial!.value.draft!.note).toContain('Not synced (no product mapping):\n- 2× Blue Hoodie - L (SKU HOODIE-BLUE-L, variant 45000000000002)');

    const [custom] = out.get(keys[2]!)!;
    expect(custom!.value).toMatchObject({ action: 'UPSERT', missingVariants: [UNMAPPED_VARIANT] });
    expect(custom!.value.draft!.lines).toEqual([
      expect.objectContaining({ kind: 'variant', priceOverride: { amount: '19.00', currencyCode: 'EUR' } }),
      expect.objectContaining({ kind: 'custom', title: 'Blue Hoodie - L', quantity: 2, price: { amount: '30.00', currencyCode: 'EUR' }, sku: 'HOODIE-BLUE-L' }),
    ]);

    for (const shop of ['eu', 'partial', 'custom'] as const) expect(await store.unmapped(CONNECTION_OF[shop])).toContain(UNMAPPED_VARIANT);
  });

  it('skips a disabled connection and our own copies, turns a delete into DELETE, and passes force and source on', async () => {
    const [offId, loopId, forcedId] = [newId(), newId(), newId()];
    const bigId = '1152921504606846999'; // above 2^53: must stay exact
    const loopKey = `${SHOPS.partial}/draft/${loopId}`;
    await feeder.send(
      envelopeOf({ topic: 'draft_orders/create', shop: SHOPS.off, originId: offId, body: draftBody(offId) }),
      envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.partial, originId: loopId, body: draftBody(loopId, { tags: `vip, ${syncTagFor(loopKey)}` }) }),
      envelopeOf({ topic: 'draft_orders/delete', shop: SHOPS.partial, originId: bigId, body: `{"id":${bigId}}`, triggeredAt: '2026-11-29T10:00:00.000Z' }),
      envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.partial, originId: forcedId, body: draftBody(forcedId), force: true, source: 'backfill' }),
    );
    const [offKey, deleteKey, forcedKey] = [`${SHOPS.off}/draft/${offId}`, `${SHOPS.partial}/draft/${bigId}`, `${SHOPS.partial}/draft/${forcedId}`];
    const out = await mappedFor([offKey, loopKey, deleteKey, forcedKey]);
    expect(out.get(offKey)![0]!.value).toMatchObject({ action: 'SKIP', skipReason: 'SYNC_DISABLED' });
    expect(out.get(loopKey)![0]!.value).toMatchObject({ action: 'SKIP', skipReason: 'LOOP' });
    expect(out.get(deleteKey)![0]!.value).toMatchObject({
      action: 'DELETE',
      origin: { id: bigId, name: null },
      version: '2026-11-29T10:00:00.000Z',
      draft: null,
    });
    expect(out.get(forcedKey)![0]!.value).toMatchObject({ action: 'UPSERT', force: true, recordSource: 'backfill' });
  });

  it('dead-letters invalid bodies, undecodable values and unknown shops, and the next record still flows', async () => {
    const [badId, nextGoodId, strangerId] = [newId(), newId(), newId()];
    const badKey = `${SHOPS.partial}/draft/${badId}`;
    await feeder.send(envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.partial, originId: badId, body: draftBody(badId, { line_items: 'nope' }) }));
    await feeder.sendRaw(badKey, Buffer.from('not avro at all'));
    await feeder.send(
      envelopeOf({ topic: 'draft_orders/update', shop: 'stranger.myshopify.com', originId: strangerId, body: draftBody(strangerId) }),
      // Same key as the bad ones: same partition, right behind them.
      envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.partial, originId: badId, body: draftBody(badId) }),
      envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.partial, originId: nextGoodId, body: draftBody(nextGoodId) }),
    );
    const out = await mappedFor([badKey, `${SHOPS.partial}/draft/${nextGoodId}`]);
    expect(out.get(badKey)!.map((r) => r.value.action)).toEqual(['UPSERT']);

    const letters = await readDeadLetters(kafka, registry, topics.dlq, (l) => l.filter((x) => x.key === badKey).length >= 2 && l.some((x) => x.key?.endsWith(`/${strangerId}`)));
    const bad = letters.filter((l) => l.key === badKey);
    expect(bad.map((l) => l.stage)).toEqual(['mapper', 'mapper']);
    expect(bad[0]!.reason).toMatch(/line_items/);
    expect(bad[0]!.originTopic).toBe(topics.raw);
    expect(Buffer.from(bad[1]!.payload).toString()).toBe('not avro at all');
    expect(bad[1]!.reason).toMatch(/magic byte/);
    expect(letters.find((l) => l.key?.endsWith(`/${strangerId}`))!.reason).toMatch(/no connection has stranger\.myshopify\.com/);
  });

  it('updates mappings incrementally from product webhooks of both sides', async () => {
    const eu = sim.store(SHOPS.eu);
    const main = sim.store(SOURCE);
    eu.subscribeAll(receiver.url, ['products/create', 'products/update', 'products/delete']);
    main.subscribeAll(receiver.url, ['products/create', 'products/update', 'products/delete']);
    const seen = receiver.received.length;
    const [destProduct] = eu.seedProducts([{ title: 'Beanie', options: ['Color'], variants: [{ sku: 'BEANIE-GRY', price: '15', options: ['Grey'] }] }]);
    const [sourceProduct] = main.seedProducts([{ title: 'Beanie', options: ['Color'], variants: [{ sku: 'BEANIE-GRY', price: '16', options: ['Grey'] }] }]);
    const destVariant = String(destProduct!.variants[0]!.id);
    const sourceVariant = String(sourceProduct!.variants[0]!.id);
    eu.store.updateProduct(destProduct!.id, { variants: [{ id: destProduct!.variants[0]!.id, sku: 'BEANIE-GREY' }] });
    const hooks = (await receiver.waitFor((r) => r.length >= seen + 3)).slice(seen);
    const shopOf = (topicIndex: number): string => String(hooks[topicIndex]!.headers['x-shopify-shop-domain']);

    // Create on both sides → mapped by SKU.
    for (const hook of hooks.slice(0, 2)) {
      await feeder.send(envelopeOf({ topic: hook.topic, shop: shopOf(hooks.indexOf(hook)), originId: String(JSON.parse(hook.rawBody.toString()).id), body: hook.rawBody }));
    }
    await waitFor('mapping from product creates', async () => (await store.get(CONNECTION_OF.eu, destVariant)) === sourceVariant);
    // The destination renames the SKU → no longer matched.
    await feeder.send(envelopeOf({ topic: hooks[2]!.topic, shop: shopOf(2), originId: String(destProduct!.id), body: hooks[2]!.rawBody }));
    await waitFor('mapping removed by product update', async () => (await store.get(CONNECTION_OF.eu, destVariant)) === null);
    // Every connection of the source shop got the source product indexed: its variant is in their catalogs.
    expect(await redis.hget(store.keys(CONNECTION_OF.partial).catalog('source'), sourceVariant)).toBe('BEANIE-GRY');
  });

  it('serves readiness and metrics', async () => {
    expect((await fetch(`${mapper.opsUrl}/healthz`)).status).toBe(200);
    await waitFor('ready', async () => (await fetch(`${mapper.opsUrl}/readyz`)).status === 200);
    const metrics = await (await fetch(`${mapper.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/mapper_records_in_total\{topic="draft_orders\/update",outcome="mapped"\} \d+/);
    expect(metrics).toMatch(/mapper_records_in_total\{topic="products\/create",outcome="product_change"\} \d+/);
    expect(metrics).toMatch(/mapper_mapped_out_total\{action="SKIP",skip_reason="UNMAPPED"\} \d+/);
    expect(metrics).toMatch(/mapper_dead_letters_total\{reason="invalid_body"\} \d+/);
    expect(metrics).toMatch(/mapper_batch_size_count \d+/);
    // One lookup (+ at most one unmapped write) per batch, never one per line.
    const value = (name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? NaN);
    expect(value('mapper_lookup_round_trips_total')).toBeLessThanOrEqual(2 * value('mapper_batch_size_count'));
  });
});
