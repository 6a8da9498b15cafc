// Kafka-side test support for the writer: mapped records produced the way the mapper does
// (schema-registered, keyed by origin), and collectors that decode what the writer publishes.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { MappedDraftOrder } from '../../src/domain/model.js';
import type { DraftOrderSyncEvent } from '../../src/contracts/sync-event.js';
import type { DeadLetter } from '../../src/contracts/dead-letter.js';
import type { TopicNames } from '../../src/shared/kafka/topics.js';
import { TOPIC_CONTRACTS } from '../../src/contracts/index.js';
import { registerTopicSchema, type TopicCodec } from '../../src/shared/registry/schemas.js';
import { uniqueId } from './infra.js';

export class MappedFeeder {
  private constructor(
    private readonly producer: Producer,
    readonly codec: TopicCodec<MappedDraftOrder>,
    private readonly topic: string,
  ) {}

  static async start(kafka: Kafka, registry: SchemaRegistry, topics: TopicNames): Promise<MappedFeeder> {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return new MappedFeeder(producer, await registerTopicSchema(registry, topics.mapped, TOPIC_CONTRACTS.mapped), topics.mapped);
  }

  /** Sends the records in order (one produce request: same key → same partition, in order). */
  async send(...records: MappedDraftOrder[]): Promise<void> {
    const messages = records.map((r) => ({ key: r.key, value: this.codec.encode(r) }));
    await this.producer.send({ topic: this.topic, acks: -1, messages });
  }

  async sendRaw(key: string, value: Buffer): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value }] });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Everything a topic receives from now on (from its beginning), decoded, read_committed. */
export class TopicCollector<T> {
  readonly items: T[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start<T>(kafka: Kafka, topic: string, decode: (value: Buffer) => Promise<T>): Promise<TopicCollector<T>> {
    const consumer = kafka.consumer({ groupId: uniqueId('collector'), readUncommitted: false, maxWaitTimeInMs: 100 });
    const collector = new TopicCollector<T>(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value) collector.items.push(await decode(message.value));
      },
    });
    return collector;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export async function collectEvents(kafka: Kafka, registry: SchemaRegistry, topics: TopicNames): Promise<TopicCollector<DraftOrderSyncEvent>> {
  const codec = await registerTopicSchema(registry, topics.events, TOPIC_CONTRACTS.events);
  // Plain objects (avsc yields record instances).
  return TopicCollector.start(kafka, topics.events, async (value) => JSON.parse(JSON.stringify(await codec.decode(value))) as DraftOrderSyncEvent);
}

export async function collectDeadLetters(kafka: Kafka, registry: SchemaRegistry, topics: TopicNames): Promise<TopicCollector<DeadLetter>> {
  const codec = await registerTopicSchema(registry, topics.dlq, TOPIC_CONTRACTS.dlq);
  return TopicCollector.start(kafka, topics.dlq, (value) => codec.decode(value));
}
