// Per-test-file isolation on the shared servers: own topic prefix, own Redis key prefix. Every
// connection comes from the product's bootstrap (src/shared/infra.ts), set up by the settings
// reader from the global setup's environment plus the test's prefixes.
import { randomBytes } from 'node:crypto';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { loadSettings, type Names, type Settings } from '../../src/shared/config/index.js';
import { Infra } from '../../src/shared/infra.js';
import { ensureTopics, topicNames, type TopicNames } from '../../src/shared/kafka/topics.js';
import { createLogger } from '../../src/shared/log.js';
import { deleteByPrefix, type RedisClient } from '../../src/shared/redis.js';
import { waitFor } from './wait.js';

export function infraEnv(): { brokers: string; registryUrl: string; redisUrl: string } {
  const brokers = process.env.KAFKA_BROKERS;
  const registryUrl = process.env.SCHEMA_REGISTRY_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!brokers || !registryUrl || !redisUrl) throw new Error('integration tests need the global setup (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL)');
  return { brokers, registryUrl, redisUrl };
}

export function uniqueId(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Settings as a service would read them, with the test's own prefixes: the topics' prefix
 * (from `topics`, or none) and any other variable (REDIS_KEY_PREFIX, MAPPER_GROUP_ID, …).
 */
export function testSettings(topics?: TopicNames, env: Record<string, string> = {}): Settings {
  const prefix = topics ? topics.raw.slice(0, -'shopify.webhooks'.length) : '';
  return loadSettings({ ...process.env, TOPIC_PREFIX: prefix, ...env });
}

/** The bootstrap for a test's own use; close it in afterAll. */
export function testInfra(label = 'test', topics?: TopicNames, env: Record<string, string> = {}): Infra {
  const { infra, names } = testSettings(topics, env);
  return new Infra({ settings: infra, names, clientId: label, logger: createLogger(label, process.env.TEST_LOG_LEVEL ?? 'silent') });
}

/** What a service is given (infra, names) for a test file's topics and prefixes. */
export function serviceSettings(topics: TopicNames, env: Record<string, string> = {}): { infra: Settings['infra']; names: Names } {
  const { infra, names } = testSettings(topics, env);
  return { infra, names };
}

/** A Kafka client (it holds no connection itself: close what is made from it). */
export function testKafka(clientId = 'test', env: Record<string, string> = {}): Kafka {
  return testInfra(clientId, undefined, env).kafka();
}

/** A registry client (HTTP, nothing to close). */
export function testRegistry(): SchemaRegistry {
  return testInfra('test-registry').registry();
}

/** A Redis connection of its own (the caller disconnects it). */
export function testRedis(): RedisClient {
  return testInfra('test-redis').redis();
}

/** Fresh topics for one test file, created on the real broker. */
export async function freshTopics(kafka: Kafka, label: string, partitions = 3): Promise<TopicNames> {
  const names = topicNames(`${uniqueId(label)}.`);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, names, partitions);
  } finally {
    await admin.disconnect();
  }
  return names;
}

/** Deletes every key under a prefix (tests share the machine's Redis). */
export const deleteKeys = deleteByPrefix;

export interface ReadRecord {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning until `until(records)` holds (or the deadline passes),
 * with `read_committed` so aborted transactions stay invisible.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  until: (records: ReadRecord[]) => boolean,
  timeoutMs = 20_000,
): Promise<ReadRecord[]> {
  // A short fetch wait: leaving the group waits for the fetch in flight (kafkajs' default is 5 s).
  const consumer = kafka.consumer({ groupId: uniqueId('reader'), readUncommitted: false, maxWaitTimeInMs: 100 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
        records.push({ key: message.key?.toString() ?? null, value: message.value, partition, offset: message.offset, headers });
      },
    });
    await waitFor(`records on ${topic}`, () => until(records), { timeoutMs });
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** The latest offsets of a topic summed over partitions: how many records it holds. */
export async function topicSize(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}
