// kafkajs against the real broker: the client paths the services rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { ensureTopics, topicNames } from '../../src/shared/kafka/topics.js';
import { freshTopics, readTopic, testKafka, uniqueId } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = testKafka('foundation');
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

describe('kafkajs against Kafka 4.x', () => {
  it('round-trips produced records with keys, in order per key', async () => {
    const topics = await freshTopics(kafka, 'roundtrip');
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 3}`, value: `v${i}` }));
    await producer.send({ topic: topics.raw, acks: -1, messages });
    await producer.disconnect();
    const records = await readTopic(kafka, topics.raw, (r) => r.length >= 20);
    expect(records).toHaveLength(20);
    for (const key of ['k0', 'k1', 'k2']) {
      const values = records.filter((r) => r.key === key).map((r) => r.value?.toString());
      expect(values).toEqual(messages.filter((m) => m.key === key).map((m) => m.value));
    }
  });

  it('hides an aborted transaction from read_committed and commits offsets with sendOffsets', async () => {
    const topics = await freshTopics(kafka, 'tx', 1);
    const groupId = uniqueId('tx-group');
    const producer = kafka.producer({ transactionalId: uniqueId('tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const aborted = await producer.transaction();
    await aborted.send({ topic: topics.mapped, messages: [{ key: 'a', value: 'aborted' }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic: topics.mapped, messages: [{ key: 'a', value: 'committed' }] });
    await committed.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: topics.raw, partitions: [{ partition: 0, offset: '7' }] }] });
    await committed.commit();
    await producer.disconnect();

    // A marker record after the transaction proves the reader got past it.
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: topics.mapped, messages: [{ key: 'z', value: 'end' }] });
    await plain.disconnect();
    const records = await readTopic(kafka, topics.mapped, (r) => r.some((x) => x.value?.toString() === 'end'));
    expect(records.map((r) => r.value?.toString())).toEqual(['committed', 'end']);

    const offsets = await admin.fetchOffsets({ groupId, topics: [topics.raw] });
    expect(offsets[0]?.partitions.find((p) => p.partition === 0)?.offset).toBe('7');
  });

  it('finds offsets by timestamp (the replay path)', async () => {
    const topics = await freshTopics(kafka, 'bytime', 1);
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Date.now();
    await producer.send({ topic: topics.raw, messages: [{ value: 'old', timestamp: String(t0 - 60_000) }] });
    await producer.send({ topic: topics.raw, messages: [{ value: 'new1', timestamp: String(t0) }, { value: 'new2', timestamp: String(t0 + 1) }] });
    await producer.disconnect();
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topics.raw, t0 - 1000);
    expect(byTime).toEqual([{ partition: 0, offset: '1' }]);
    const future = await admin.fetchTopicOffsetsByTimestamp(topics.raw, t0 + 60_000);
    // Past the last record: the end offset.
    expect(future).toEqual([{ partition: 0, offset: '3' }]);
  });

  it('creates topics idempotently with their declared settings', async () => {
    const names = topicNames(`${uniqueId('decl')}.`);
    expect(await ensureTopics(admin, names, 2)).toHaveLength(6);
    expect(await ensureTopics(admin, names, 2)).toEqual([]);
    const meta = await admin.fetchTopicMetadata({ topics: [names.raw, names.dlq] });
    expect(meta.topics.find((t) => t.name === names.raw)?.partitions).toHaveLength(2);
    expect(meta.topics.find((t) => t.name === names.dlq)?.partitions).toHaveLength(1);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: names.raw, configNames: ['retention.ms'] }],
    });
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('-1');
    await waitFor('topics listed', async () => (await admin.listTopics()).includes(names.events));
  });
});
