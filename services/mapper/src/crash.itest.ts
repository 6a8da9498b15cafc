// Kill -9 the mapper process mid-stream and restart it: a read_committed reader of the mapped
// topic must see every input's result exactly once, each key's results in order.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftBody } from '../../../bench/support/draft-bodies.js';
import { RedisMappingStore } from '../../../src/variant-mappings/index.js';
import type { TopicNames } from '../../../src/shared/kafka/topics.js';
import type { RedisClient } from '../../../src/shared/redis.js';
import { deleteKeys, freshTopics, infraEnv, testKafka, testRedis, testRegistry, topicSize, uniqueId } from '../../../test/support/infra.js';
import { waitFor } from '../../../test/support/wait.js';
import { spawnMapper, type ChildMapper } from '../../../test/support/child-mapper.js';
import { envelopeOf, RawFeeder, readMapped } from '../../../test/support/mapper-harness.js';

const SHOP = 'eu-brand.myshopify.com';
const KEYS = 60;
const VERSIONS = 50;
const TOTAL = KEYS * VERSIONS;
const VARIANTS = Array.from({ length: 20 }, (_, i) => 45_000_000 + i);

describe('mapper crash (SIGKILL mid-stream, restart)', () => {
  let kafka: Kafka;
  let topics: TopicNames;
  let redis: RedisClient;
  let dir: string;
  const redisPrefix = `${uniqueId('mapper-crash')}:`;
  const children: ChildMapper[] = [];

  beforeAll(async () => {
    kafka = testKafka('mapper-crash');
    topics = await freshTopics(kafka, 'mapper-crash', 3);
    redis = testRedis();
    await new RedisMappingStore(redis, { prefix: redisPrefix }).replaceAll('eu', VARIANTS.map((v) => [String(v), String(v + 1_000_000)]));
    dir = mkdtempSync(path.join(os.tmpdir(), 'mapper-crash-'));
  });

  afterAll(async () => {
    for (const child of children) await child.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await deleteKeys(redis, redisPrefix);
    redis.disconnect();
  });

  it('commits each input exactly once and in per-key order across a kill -9', async () => {
    const configPath = path.join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        stores: [
          { shop: 'mainbrand.myshopify.com', adminTokenEnv: 'CRASH_T', webhookSecretEnvs: ['CRASH_S'] },
          { shop: SHOP, adminTokenEnv: 'CRASH_T', webhookSecretEnvs: ['CRASH_S'] },
        ],
        connections: [{ id: 'eu', source: 'mainbrand.myshopify.com', destination: SHOP }],
      }),
    );
    const { brokers, registryUrl, redisUrl } = infraEnv();
    const prefix = topics.raw.slice(0, topics.raw.length - 'shopify.webhooks'.length);
    const env = {
      DOS_CONFIG: configPath,
      CRASH_T: 'token',
      CRASH_S: 'secret',
      KAFKA_BROKERS: brokers,
      SCHEMA_REGISTRY_URL: registryUrl,
      REDIS_URL: redisUrl,
      TOPIC_PREFIX: prefix,
      REDIS_KEY_PREFIX: redisPrefix,
      MAPPER_GROUP_ID: `${prefix}mapper`,
      // Small fetches → many small transactions, so the kill lands between and inside them.
      MAPPER_MAX_BYTES_PER_PARTITION: '16384',
      MAPPER_SESSION_TIMEOUT_MS: '6000',
      OPS_PORT: '0',
      LOG_LEVEL: 'warn',
    };

    const registry = testRegistry();
    const feeder = await RawFeeder.start(kafka, registry, topics);
    try {
      // Versions of one key in order; keys interleaved.
      for (let version = 0; version < VERSIONS; version++) {
        await feeder.send(
          ...Array.from({ length: KEYS }, (_, k) => {
            const id = 5_000_000 + k;
            const updatedAt = new Date(Date.UTC(2026, 10, 1, 10, 0, version)).toISOString();
            const variantIds = [0, 1, 2, 3, 4].map((j) => VARIANTS[(k + j + version) % VARIANTS.length]!);
            return envelopeOf({ topic: 'draft_orders/update', shop: SHOP, originId: String(id), body: draftBody({ id, shop: SHOP, variantIds, updatedAt }) });
          }),
        );
      }
    } finally {
      await feeder.stop();
    }

    const first = spawnMapper(env);
    children.push(first);
    await waitFor('some mapped output', async () => (await topicSize(kafka, topics.mapped)) >= TOTAL / 5, { timeoutMs: 60_000, intervalMs: 20 }).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n${first.output().slice(-4000)}`);
      },
    );
    const killed = await first.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const atKill = await topicSize(kafka, topics.mapped);
    expect(atKill).toBeLessThan(TOTAL); // mid-stream: some, not all

    const second = spawnMapper(env);
    children.push(second);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Done when the group's committed offsets reach the end of the raw topic.
      await waitFor(
        'all raw records committed',
        async () => {
          const [offsets] = await admin.fetchOffsets({ groupId: env.MAPPER_GROUP_ID, topics: [topics.raw] });
          return (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0) === TOTAL;
        },
        { timeoutMs: 120_000, intervalMs: 200 },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${second.output().slice(-4000)}`);
      });
    } finally {
      await admin.disconnect();
    }

    const records = await readMapped(kafka, registry, topics.mapped, (r) => r.length >= TOTAL, 60_000);
    expect(records).toHaveLength(TOTAL);
    const rawIds = new Set(records.map((r) => r.value.rawId));
    expect(rawIds.size).toBe(TOTAL);
    const byKey = new Map<string, string[]>();
    for (const { value } of records) byKey.set(value.key, [...(byKey.get(value.key) ?? []), value.version]);
    expect(byKey.size).toBe(KEYS);
    for (const versions of byKey.values()) {
      expect(versions).toHaveLength(VERSIONS);
      expect([...versions].sort()).toEqual(versions);
    }
    expect(records.every((r) => r.value.action === 'UPSERT')).toBe(true);

    // Graceful stop: the process finishes its work and exits 0.
    const stopped = await second.stop('SIGTERM');
    expect(stopped.code, second.output().slice(-2000)).toBe(0);
  });
});
