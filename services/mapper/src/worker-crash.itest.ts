// A map worker thread dies holding a planned batch: the batch fails, is redone on a worker
// that replaces it, and every input reaches the mapped topic exactly once and in order.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisMappingStore } from '../../../src/variant-mappings/index.js';
import type { TopicNames } from '../../../src/shared/kafka/topics.js';
import { createLogger } from '../../../src/shared/log.js';
import type { RedisClient } from '../../../src/shared/redis.js';
import { freshTopics, testKafka, testRedis, testRegistry, uniqueId, serviceSettings } from '../../../test/support/infra.js';
import { CONNECTION_OF, envelopeOf, mapperTestConfig, RawFeeder, readMapped, SHOPS } from '../../../test/support/mapper-harness.js';
import { startMapper, type RunningMapper } from './mapper.js';

const draft = (id: number, version: number): string =>
  JSON.stringify({
    id,
    name: `#D${id}`,
    status: 'open',
    updated_at: new Date(Date.UTC(2026, 10, 29, 10, 0, version)).toISOString(),
    line_items: [{ variant_id: 101, title: 'Tee', quantity: version, price: '9.00' }],
  });

describe('mapper when a map worker dies', () => {
  let kafka: Kafka;
  let topics: TopicNames;
  let redis: RedisClient;
  let mapper: RunningMapper | undefined;
  let feeder: RawFeeder | undefined;
  const metricsRegistry = new Registry();
  const dir = mkdtempSync(path.join(tmpdir(), 'map-worker-crash-'));
  const marker = path.join(dir, 'crashed');
  const redisPrefix = `${uniqueId('mapper-worker-crash')}:`;

  beforeAll(async () => {
    kafka = testKafka('mapper-worker-crash');
    topics = await freshTopics(kafka, 'mapper-worker-crash');
    redis = testRedis();
    await new RedisMappingStore(redis, { prefix: redisPrefix }).set(CONNECTION_OF.eu, '101', '9101');
    feeder = await RawFeeder.start(kafka, testRegistry(), topics);
    process.env.CRASHING_MAP_WORKER_MARKER = marker; // read by the worker thread
    mapper = await startMapper({
      config: mapperTestConfig(),
      ...serviceSettings(topics, { MAPPER_GROUP_ID: uniqueId('mapper-worker-crash'), REDIS_KEY_PREFIX: redisPrefix }),
      logger: createLogger('mapper-worker-crash', process.env.TEST_LOG_LEVEL ?? 'silent'),
      metricsRegistry,
      sessionTimeoutMs: 10_000,
      workerEntry: new URL('../../../test/support/crashing-map-worker.ts', import.meta.url),
    });
  });

  afterAll(async () => {
    await mapper?.stop();
    await feeder?.stop();
    await new RedisMappingStore(redis, { prefix: redisPrefix }).clear(CONNECTION_OF.eu);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
    delete process.env.CRASHING_MAP_WORKER_MARKER;
  });

  it('redoes the lost batch on a replacement worker: each input once, in per-key order', async () => {
    const inputs = [];
    for (let version = 1; version <= 3; version++) {
      for (let id = 1; id <= 20; id++) inputs.push(envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.eu, originId: String(id), body: draft(id, version) }));
    }
    await feeder!.send(...inputs);
    const records = await readMapped(kafka, testRegistry(), topics.mapped, (r) => r.length >= inputs.length);
    expect(existsSync(marker)).toBe(true); // the first worker did die mid-batch
    expect(await metricsRegistry.getSingleMetricAsString('mapper_map_worker_replacements_total')).toMatch(/_total 1$/m);
    expect(records).toHaveLength(inputs.length);
    for (let id = 1; id <= 20; id++) {
      const ofKey = records.filter((r) => r.value.origin.id === String(id));
      expect(ofKey.map((r) => r.value.draft!.lines[0]!.quantity)).toEqual([1, 2, 3]);
      expect(ofKey.every((r) => r.value.action === 'UPSERT')).toBe(true);
    }
  });
});
