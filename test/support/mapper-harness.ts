// Test support for the mapper: a configuration with one connection per behaviour, envelopes
// fed to a real raw topic, and MappedDraftOrder / DeadLetter records read back read_committed.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka, Producer } from 'kafkajs';
import { recordKey } from '../../src/domain/keys.js';
import type { RawWebhookEnvelope } from '../../src/contracts/raw-envelope.js';
import { fromAvro, type AvroMappedDraftOrder } from '../../src/contracts/mapped-draft-order.js';
import type { MappedDraftOrder } from '../../src/domain/model.js';
import { TOPIC_CONTRACTS, type TopicContract } from '../../src/contracts/index.js';
import { parseConfigText, type AppConfig } from '../../src/shared/config/index.js';
import type { DeadLetter } from '../../src/contracts/dead-letter.js';
import type { TopicNames } from '../../src/shared/kafka/topics.js';
import { registerTopicSchema, type TopicCodec } from '../../src/shared/registry/schemas.js';
import { readTopic, uniqueId, type ReadRecord } from './infra.js';

export const SOURCE = 'mainbrand.myshopify.com';
/** Destination shops, one per connection behaviour. */
export const SHOPS = {
  eu: 'eu-brand.myshopify.com', // skip policy, orderTrigger on
  partial: 'partial-brand.myshopify.com',
  custom: 'custom-brand.myshopify.com',
  off: 'off-brand.myshopify.com', // draftOrderSync false
  noOrders: 'noorders-brand.myshopify.com', // orderTrigger false
} as const;

export const CONNECTION_OF: Record<keyof typeof SHOPS, string> = {
  eu: 'eu-brand',
  partial: 'partial-brand',
  custom: 'custom-brand',
  off: 'off-brand',
  noOrders: 'noorders-brand',
};

export function mapperTestConfig(): AppConfig {
  const env: Record<string, string> = { T: 'token', S: 'secret' };
  const stores = [SOURCE, ...Object.values(SHOPS)].map((shop) => ({ shop, adminTokenEnv: 'T', webhookSecretEnvs: ['S'] }));
  const connection = (name: keyof typeof SHOPS, extra: Record<string, unknown>): Record<string, unknown> => ({
    id: CONNECTION_OF[name],
    source: SOURCE,
    destination: SHOPS[name],
    ...extra,
  });
  const connections = [
    connection('eu', { orderTrigger: true, unmapped: 'skip' }),
    connection('partial', { unmapped: 'partial' }),
    connection('custom', { unmapped: 'custom', prices: 'destination' }),
    connection('off', { draftOrderSync: false }),
    connection('noOrders', { orderTrigger: false }),
  ];
  return parseConfigText(JSON.stringify({ stores, connections }), env, 'json');
}

export interface EnvelopeInput {
  readonly topic: string;
  readonly shop: string;
  readonly originId: string;
  readonly body: string | Buffer;
  readonly originKind?: RawWebhookEnvelope['originKind'];
  readonly triggeredAt?: string | null;
  readonly source?: RawWebhookEnvelope['source'];
  readonly force?: boolean;
  readonly bodyFormat?: RawWebhookEnvelope['bodyFormat'];
}

export function envelopeOf(input: EnvelopeInput): RawWebhookEnvelope {
  const kind = input.originKind ?? (input.topic.startsWith('orders/') ? 'order' : input.topic.startsWith('products/') ? 'product' : 'draft');
  return {
    id: uniqueId('wh'),
    eventId: null,
    topic: input.topic,
    shop: input.shop,
    apiVersion: '2026-10',
    triggeredAt: input.triggeredAt ?? null,
    receivedAt: Date.now(),
    originKind: kind,
    originId: input.originId,
    source: input.source ?? 'webhook',
    force: input.force ?? false,
    body: Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body),
    bodyFormat: input.bodyFormat ?? 'rest',
  };
}

/** Puts envelopes on the raw topic the way ingest does (schema-registered, keyed by origin). */
export class RawFeeder {
  private constructor(
    private readonly producer: Producer,
    private readonly codec: TopicCodec<RawWebhookEnvelope>,
    private readonly topic: string,
  ) {}

  static async start(kafka: Kafka, registry: SchemaRegistry, topics: TopicNames): Promise<RawFeeder> {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return new RawFeeder(producer, await registerTopicSchema(registry, topics.raw, TOPIC_CONTRACTS.raw), topics.raw);
  }

  async send(...envelopes: RawWebhookEnvelope[]): Promise<void> {
    const messages = envelopes.map((e) => ({ key: recordKey(e.shop, e.originKind, e.originId), value: this.codec.encode(e) }));
    await this.producer.send({ topic: this.topic, acks: -1, messages });
  }

  /** A value that is not a registered envelope at all, keyed like a draft. */
  async sendRaw(key: string, value: Buffer): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value }] });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

export interface Decoded<T> {
  readonly record: ReadRecord;
  readonly value: T;
}

/**
 * A synchronous decoder for one topic's values (readTopic's predicate is synchronous): the
 * topic's registered schema, fetched once, applied to the bytes after the 5-byte header.
 */
async function topicDecoder<T>(registry: SchemaRegistry, topic: string, contract: TopicContract<unknown>): Promise<(value: Buffer) => T> {
  const codec = await registerTopicSchema(registry, topic, contract);
  const schema = (await registry.getSchema(codec.schemaId)) as { fromBuffer(buffer: Buffer): unknown };
  return (value) => {
    if (value.readInt32BE(1) !== codec.schemaId) throw new Error(`unexpected schema id on ${topic}`);
    return schema.fromBuffer(value.subarray(5)) as T;
  };
}

/** Reads the mapped topic (read_committed) until `until` holds for the decoded records. */
export async function readMapped(
  kafka: Kafka,
  registry: SchemaRegistry,
  topic: string,
  until: (records: Decoded<MappedDraftOrder>[]) => boolean,
  timeoutMs = 30_000,
): Promise<Decoded<MappedDraftOrder>[]> {
  const decode = await topicDecoder<AvroMappedDraftOrder>(registry, topic, TOPIC_CONTRACTS.mapped);
  const all = (records: ReadRecord[]): Decoded<MappedDraftOrder>[] => records.map((record) => ({ record, value: fromAvro(decode(record.value!)) }));
  return all(await readTopic(kafka, topic, (records) => until(all(records)), timeoutMs));
}

export async function readDeadLetters(
  kafka: Kafka,
  registry: SchemaRegistry,
  topic: string,
  until: (letters: DeadLetter[]) => boolean,
  timeoutMs = 30_000,
): Promise<DeadLetter[]> {
  const decode = await topicDecoder<DeadLetter>(registry, topic, TOPIC_CONTRACTS.dlq);
  const all = (records: ReadRecord[]): DeadLetter[] => records.map((record) => decode(record.value!));
  return all(await readTopic(kafka, topic, (records) => until(all(records)), timeoutMs));
}
