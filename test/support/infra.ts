// Per-test-file isolation on the shared servers: own topic prefix, own Redis key prefix.
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../src/shared/kafka/client.js';
import { ensureTopics, topicNames, type TopicNames } from '../../src/shared/kafka/topics.js';
import { createRegistry } from '../../src/shared/registry/schemas.js';
import { createRedis, deleteByPrefix, type RedisClient } from '../../src/shared/redis.js';
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

export function testKafka(clientId = 'test'): Kafka {
  return createKafka({ brokers: infraEnv().brokers, clientId });
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

export function testRegistry(): ReturnType<typeof createRegistry> {
  return createRegistry(infraEnv().registryUrl);
}

export function testRedis(): RedisClient {
  return createRedis(infraEnv().redisUrl);
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
