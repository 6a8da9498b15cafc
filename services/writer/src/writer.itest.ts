// The writer service against real Kafka, registry and Redis, with the store simulator as the
// source store: mapped records produced with the mapped codec, outcomes read back from the
// events topic and the DLQ.
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTagFor } from '../../../src/domain/keys.js';
import type { MappedDraftOrder, SourceDraft } from '../../../src/domain/model.js';
import type { DraftOrderSyncEvent } from '../../../src/contracts/sync-event.js';
import { startSimulator, type Simulator } from '../../../simulator/simulator.js';
import type { SimulatedShop } from '../../../simulator/shop.js';
import { parseConfigText, type AppConfig } from '../../../src/shared/config/index.js';
import type { DeadLetter } from '../../../src/contracts/dead-letter.js';
import { TOPIC_CONTRACTS } from '../../../src/contracts/index.js';
import { registerTopicSchema } from '../../../src/shared/registry/schemas.js';
import type { TopicNames } from '../../../src/shared/kafka/topics.js';
import { createLogger } from '../../../src/shared/log.js';
import type { RedisClient } from '../../../src/shared/redis.js';
import { deleteKeys, freshTopics, serviceSettings, testKafka, testRedis, testRegistry, uniqueId } from '../../../test/support/infra.js';
import { waitFor } from '../../../test/support/wait.js';
import { mappedRecord, sourceDraft } from '../../../test/support/mapped-fixtures.js';
import { collectDeadLetters, collectEvents, MappedFeeder, type TopicCollector } from '../../../test/support/writer-topics.js';
import { SourceAccessRefused } from './startup/source-access.js';
import { startWriter, type RunningWriter } from './writer.js';

const SOURCE = 'mainbrand.myshopify.com';
const DESTINATION = 'eu-brand.myshopify.com';

function writerConfig(sim: Simulator, token: string): AppConfig {
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: SOURCE, adminTokenEnv: 'MAIN_TOKEN', webhookSecretEnvs: ['S'], adminApiUrl: sim.adminBaseUrl(SOURCE) },
        { shop: DESTINATION, adminTokenEnv: 'EU_TOKEN', webhookSecretEnvs: ['S'] },
      ],
      connections: [{ id: 'eu', source: SOURCE, destination: DESTINATION }],
    }),
    { MAIN_TOKEN: token, EU_TOKEN: 'eu-token', S: 'secret' },
    'json',
  );
}


describe('writer service (Kafka + registry + Redis + simulated source store)', () => {
  let sim: Simulator;
  let shop: SimulatedShop;
  let kafka: Kafka;
  let topics: TopicNames;
  let redis: RedisClient;
  let feeder: MappedFeeder;
  let events: TopicCollector<DraftOrderSyncEvent>;
  let dlq: TopicCollector<DeadLetter>;
  let writer: RunningWriter | null = null;
  let metricsRegistry: Registry;
  let red: string;
  let blue: string;
  const redisPrefix = `${uniqueId('writer-svc')}:`;
  let nextId = 5000;

  beforeAll(async () => {
    sim = await startSimulator({ stores: [{ shop: SOURCE, currency: 'EUR' }] });
    shop = sim.store(SOURCE);
    shop.seedProducts([
      { title: 'Red T-Shirt', variants: [{ sku: 'RED-TS', price: '19.99' }] },
      { title: 'Blue Hoodie', variants: [{ sku: 'BLUE-HD', price: '49.00' }] },
    ]);
    shop.addCustomer({ email: 'ana@example.com', firstName: 'Ana', lastName: 'Lopez' });
    red = shop.variantBySku('RED-TS').gid;
    blue = shop.variantBySku('BLUE-HD').gid;

    kafka = testKafka('writer-svc');
    topics = await freshTopics(kafka, 'writer-svc', 3);
    redis = testRedis();
    const registry = testRegistry();
    feeder = await MappedFeeder.start(kafka, registry, topics);
    events = await collectEvents(kafka, registry, topics);
    dlq = await collectDeadLetters(kafka, registry, topics);
    metricsRegistry = new Registry();
    writer = await startWriter({
      config: writerConfig(sim, shop.accessToken),
      ...serviceSettings(topics, { WRITER_REDIS_PREFIX: redisPrefix }),
      logger: createLogger('writer-test', 'warn'),
      metricsRegistry,
      opsPort: 0,
      keyConcurrency: 4,
      commitIntervalMs: 200,
      tagSearch: { attempts: 3, delayMs: 50 },
      retry: { baseDelayMs: 20, maxDelayMs: 500, maxAttempts: Number.POSITIVE_INFINITY },
    });
  });

  afterAll(async () => {
    await writer?.stop();
    await events?.stop();
    await dlq?.stop();
    await feeder?.stop();
    await sim?.close();
    if (redis) {
      await deleteKeys(redis, redisPrefix);
      redis.disconnect();
    }
  });

  function lines(redQty = 1, blueQty = 2): SourceDraft['lines'] {
    return [
      { kind: 'variant', sourceVariantId: red, quantity: redQty, priceOverride: null, customAttributes: [], appliedDiscount: null },
      { kind: 'variant', sourceVariantId: blue, quantity: blueQty, priceOverride: null, customAttributes: [], appliedDiscount: null },
    ];
  }

  /** Version `minute` of origin draft `id`, its note naming the version. */
  function version(id: string, minute: number, overrides: Partial<MappedDraftOrder> = {}, draft: Partial<SourceDraft> = {}): MappedDraftOrder {
    return mappedRecord({
      origin: { shop: DESTINATION, kind: 'draft', id, name: `#D${id}` },
      connectionId: 'eu',
      sourceShop: SOURCE,
      version: `2026-03-01T10:${String(minute).padStart(2, '0')}:00Z`,
      rawId: `raw-${id}-${minute}-${uniqueId('r')}`,
      draft: sourceDraft({ lines: lines(), note: `v${minute}`, ...draft }),
      ...overrides,
    });
  }

  const newId = (): string => String(nextId++);
  const keyOf = (id: string): string => `${DESTINATION}/draft/${id}`;
  const draftsOf = (id: string) => shop.store.drafts().filter((d) => d.tags.includes(syncTagFor(keyOf(id))));
  const eventsOf = (id: string) => events.items.filter((e) => e.key === keyOf(id));
  const outcomesOf = (id: string) => eventsOf(id).map((e) => e.outcome);
  const waitForOutcome = (id: string, outcome: string, timeoutMs = 20_000) =>
    waitFor(`${outcome} for ${id}`, () => eventsOf(id).find((e) => e.outcome === outcome), { timeoutMs });

  it('creates, updates and deletes the source copy, publishing CREATED, UPDATED, DELETED', async () => {
    const id = newId();
    await feeder.send(version(id, 0));
    const created = await waitForOutcome(id, 'CREATED');
    const [draft] = draftsOf(id);
    expect(created.sourceDraftId).toBe(`gid://shopify/DraftOrder/${draft?.id}`);
    expect(draft?.lines.map((l) => l.quantity)).toEqual([1, 2]);

    await feeder.send(version(id, 1, {}, { lines: lines(3, 4) }));
    await waitForOutcome(id, 'UPDATED');
    expect(draftsOf(id)[0]?.lines.map((l) => l.quantity)).toEqual([3, 4]);

    await feeder.send(version(id, 2, { action: 'DELETE', draft: null }));
    await waitForOutcome(id, 'DELETED');
    expect(draftsOf(id)).toHaveLength(0);
    expect(outcomesOf(id)).toEqual(['CREATED', 'UPDATED', 'DELETED']);
  });

  it('duplicate and out-of-order records: the newest version wins, one source draft', async () => {
    const id = newId();
    const v = (minute: number) => version(id, minute);
    await feeder.send(v(1), v(3), v(2), v(3), v(1), v(2));
    await waitFor('an event per record', () => eventsOf(id).length >= 6);
    const drafts = draftsOf(id);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.note).toBe('v3');
    expect(outcomesOf(id).filter((o) => o === 'CREATED')).toHaveLength(1);
    expect(outcomesOf(id).filter((o) => o !== 'CREATED' && o !== 'UPDATED' && o !== 'SKIPPED')).toEqual([]);
    // A late duplicate after everything settled is skipped as stale.
    await feeder.send(v(2));
    await waitFor('the late duplicate', () => eventsOf(id).length >= 7);
    expect(eventsOf(id).at(-1)).toMatchObject({ outcome: 'SKIPPED', reason: 'STALE' });
    expect(draftsOf(id)[0]?.note).toBe('v3');
  });

  it('an invalid variant goes to the DLQ with a FAILED event, and the next key still flows', async () => {
    const bad = newId();
    const good = newId();
    const invalid = version(bad, 0, {}, { lines: [{ kind: 'variant', sourceVariantId: 'gid://shopify/ProductVariant/999999', quantity: 1, priceOverride: null, customAttributes: [], appliedDiscount: null }] });
    await feeder.send(invalid, version(good, 0));
    const failed = await waitForOutcome(bad, 'FAILED');
    expect(failed.reason).toMatch(/^draftOrderCreate: userErrors: /);
    await waitForOutcome(good, 'CREATED');
    const letter = await waitFor('dead letter', () => dlq.items.find((l) => l.key === keyOf(bad)));
    expect(letter).toMatchObject({ stage: 'writer', reason: failed.reason, originTopic: topics.mapped });
    expect(letter.id).toBe(`writer:${topics.mapped}/${letter.originPartition}/${letter.originOffset}`);
    // The payload is the original record's bytes: decodable with the mapped codec.
    const payload = await feeder.codec.decode(Buffer.from(letter.payload));
    expect(payload.key).toBe(keyOf(bad));
    expect(draftsOf(bad)).toHaveLength(0);
  });

  it('an undecodable record goes to the DLQ and the partition moves on', async () => {
    const id = newId();
    await feeder.sendRaw(keyOf(id), Buffer.from('not avro'));
    await feeder.send(version(id, 0));
    const letter = await waitFor('dead letter', () => dlq.items.find((l) => l.key === keyOf(id)));
    expect(letter.reason).toMatch(/not a schema-registry Avro record/);
    await waitForOutcome(id, 'CREATED');
  });

  it('a THROTTLED storm (tiny bucket) → every draft applied exactly once', async () => {
    // The writer's pacer has learned the big bucket; the store's shrinks under it.
    shop.setThrottle({ maximumAvailable: 60, restoreRate: 60, currentlyAvailable: 0 });
    const before = shop.stats.throttled;
    const ids = Array.from({ length: 24 }, newId);
    try {
      await feeder.send(...ids.map((id) => version(id, 0)));
      await waitFor('all created', () => ids.every((id) => outcomesOf(id).includes('CREATED')), { timeoutMs: 40_000 });
    } finally {
      shop.setThrottle({ maximumAvailable: 2000, restoreRate: 100, currentlyAvailable: 2000 });
    }
    expect(shop.stats.throttled - before).toBeGreaterThan(0);
    for (const id of ids) {
      expect(draftsOf(id)).toHaveLength(1);
      expect(outcomesOf(id)).toEqual(['CREATED']);
    }
  });

  it('a 5xx burst and dropped connections → every draft applied exactly once', async () => {
    shop.failNext('serverError', 12, 'any', 503);
    shop.failNext('drop', 4, 'any');
    const ids = Array.from({ length: 12 }, newId);
    await feeder.send(...ids.map((id) => version(id, 0)));
    await waitFor('all created', () => ids.every((id) => outcomesOf(id).includes('CREATED')), { timeoutMs: 30_000 });
    for (const id of ids) {
      expect(draftsOf(id)).toHaveLength(1);
      expect(outcomesOf(id)).toEqual(['CREATED']);
    }
    expect(shop.stats.serverErrors).toBeGreaterThanOrEqual(12);
  });

  it('"succeeded but reply lost" creates → exactly one draft each', async () => {
    const lostBefore = shop.stats.lostReplies;
    shop.failNext('lostReply', 4, 'mutation');
    const ids = Array.from({ length: 4 }, newId);
    await feeder.send(...ids.map((id) => version(id, 0)));
    await waitFor('all created', () => ids.every((id) => outcomesOf(id).includes('CREATED')), { timeoutMs: 30_000 });
    expect(shop.stats.lostReplies - lostBefore).toBe(4);
    for (const id of ids) expect(draftsOf(id)).toHaveLength(1);
  });

  it('a Redis error restarts the partition from its first unfinished record (not ready meanwhile); once fixed, it flows', async () => {
    const id = newId();
    const opsUrl = writer!.opsUrl!;
    // A link key of the wrong type: every read of it fails until it is removed.
    const linkKey = `${redisPrefix}link:${keyOf(id)}`;
    await redis.set(linkKey, 'not a hash');
    await feeder.send(version(id, 0));
    await waitFor('not ready while the partition restarts', async () => (await fetch(`${opsUrl}/readyz`)).status === 503);
    expect(await (await fetch(`${opsUrl}/metrics`)).text()).toMatch(/writer_partition_restarts_total\{partition="\d"\} [1-9]/);
    expect(eventsOf(id)).toEqual([]);
    await redis.del(linkKey);
    await waitForOutcome(id, 'CREATED', 40_000);
    expect(draftsOf(id)).toHaveLength(1);
    expect(outcomesOf(id)).toEqual(['CREATED']);
    await waitFor('ready again', async () => (await fetch(`${opsUrl}/readyz`)).status === 200, { timeoutMs: 40_000 });
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    const w = writer!;
    expect(w.opsUrl).not.toBeNull();
    expect((await fetch(`${w.opsUrl}/healthz`)).status).toBe(200);
    await waitFor('ready', async () => (await fetch(`${w.opsUrl}/readyz`)).status === 200);
    const text = await (await fetch(`${w.opsUrl}/metrics`)).text();
    expect(text).toContain('writer_sync_outcomes_total{outcome="CREATED"}');
    expect(text).toContain('writer_shopify_request_seconds_count');
    expect(text).toContain('writer_throttle_available_points');
    expect(text).toContain('writer_retries_total');
    expect(text).toContain('writer_queue_depth');
    expect(text).toContain('writer_consumer_running 1');
  });

  it('refuses to start with a source token the store rejects', async () => {
    await expect(
      startWriter({
        config: writerConfig(sim, 'shpat_wrong'),
        ...serviceSettings(topics, { WRITER_REDIS_PREFIX: redisPrefix }),
        logger: createLogger('writer-test', 'silent'),
        metricsRegistry: new Registry(),
      }),
    ).rejects.toThrow(SourceAccessRefused);
  });

  it("commits past the mapper's transaction markers, so a caught-up writer has no lag", async () => {
    const id = newId();
    const record = version(id, 0);
    const codec = await registerTopicSchema(testRegistry(), topics.mapped, TOPIC_CONTRACTS.mapped);
    const producer = kafka.producer({ transactionalId: uniqueId('mapper-like'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const tx = await producer.transaction();
    await tx.send({ topic: topics.mapped, messages: [{ key: record.key, value: codec.encode(record) }] });
    await tx.commit();
    await producer.disconnect();
    await waitForOutcome(id, 'CREATED');

    const admin = kafka.admin();
    await admin.connect();
    try {
      const groupId = serviceSettings(topics).names.writerGroup;
      await waitFor('committed offsets at the end of every partition (past the commit marker)', async () => {
        const ends = await admin.fetchTopicOffsets(topics.mapped);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.mapped] });
        return ends.every((end) => committed?.partitions.find((p) => p.partition === end.partition)?.offset === end.high || end.high === '0');
      });
    } finally {
      await admin.disconnect();
    }
  });

  it('a graceful stop commits everything it applied', async () => {
    const id = newId();
    await feeder.send(version(id, 0));
    await waitForOutcome(id, 'CREATED');
    await writer!.stop();
    writer = null;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topics.mapped);
      const [committed] = await admin.fetchOffsets({ groupId: serviceSettings(topics).names.writerGroup, topics: [topics.mapped] });
      for (const end of ends) {
        const partition = committed?.partitions.find((p) => p.partition === end.partition);
        expect({ partition: end.partition, offset: partition?.offset }).toEqual({ partition: end.partition, offset: end.high });
      }
    } finally {
      await admin.disconnect();
    }
  });
});
