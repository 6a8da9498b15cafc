// The servers an operator command talks to, opened on first use and closed together.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { RawWebhookEnvelope } from '../domain/envelope.js';
import type { AvroMappedDraftOrder } from '../contracts/mapped-draft-order.js';
import type { DraftOrderSyncEvent } from '../domain/model.js';
import type { InfraSettings } from './config/index.js';
import type { DeadLetter } from '../contracts/dead-letter.js';
import { BatchingProducer } from './kafka/batching-producer.js';
import { createKafka } from './kafka/client.js';
import { ensureTopics, topicNames, type TopicNames } from './kafka/topics.js';
import type { Logger } from './log.js';
import { RawPublisher } from './raw-topic.js';
import { createRedis, type RedisClient } from './redis.js';
import { createRegistry, registerTopicSchema, TOPIC_SCHEMAS, type TopicCodec } from './registry/schemas.js';
import { opsSettings, type OpsSettings } from '../../cli/ops/settings.js';

export interface Codecs {
  readonly raw: TopicCodec<RawWebhookEnvelope>;
  readonly mapped: TopicCodec<AvroMappedDraftOrder>;
  readonly events: TopicCodec<DraftOrderSyncEvent>;
  readonly dlq: TopicCodec<DeadLetter>;
}

export class OpsClients {
  readonly topics: TopicNames;
  readonly settings: OpsSettings;
  readonly kafka: Kafka;
  private admin_: Promise<Admin> | null = null;
  private registry_: SchemaRegistry | null = null;
  private codecs_: Promise<Codecs> | null = null;
  private redis_: RedisClient | null = null;
  private producer_: Promise<Producer> | null = null;
  private batcher_: BatchingProducer | null = null;

  constructor(
    readonly infra: InfraSettings,
    readonly logger: Logger,
    settings?: OpsSettings,
  ) {
    this.topics = topicNames(infra.topicPrefix);
    this.settings = settings ?? opsSettings(infra);
    this.kafka = createKafka({ brokers: infra.kafkaBrokers.join(','), clientId: 'draft-sync-cli', logger });
  }

  admin(): Promise<Admin> {
    this.admin_ ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      await ensureTopics(admin, this.topics);
      return admin;
    })();
    return this.admin_;
  }

  registry(): SchemaRegistry {
    this.registry_ ??= createRegistry(this.infra.schemaRegistryUrl);
    return this.registry_;
  }

  /** Registers (idempotently) and returns the codecs of the four topics. */
  codecs(): Promise<Codecs> {
    this.codecs_ ??= (async () => {
      const registry = this.registry();
      const [raw, mapped, events, dlq] = await Promise.all([
        registerTopicSchema<RawWebhookEnvelope>(registry, this.topics.raw, TOPIC_SCHEMAS.raw),
        registerTopicSchema<AvroMappedDraftOrder>(registry, this.topics.mapped, TOPIC_SCHEMAS.mapped),
        registerTopicSchema<DraftOrderSyncEvent>(registry, this.topics.events, TOPIC_SCHEMAS.events),
        registerTopicSchema<DeadLetter>(registry, this.topics.dlq, TOPIC_SCHEMAS.dlq),
      ]);
      return { raw, mapped, events, dlq };
    })();
    return this.codecs_;
  }

  redis(): RedisClient {
    this.redis_ ??= createRedis(this.infra.redisUrl);
    return this.redis_;
  }

  /** Idempotent producer, acks=all: records it acknowledges are durable and not duplicated by its retries. */
  producer(): Promise<Producer> {
    this.producer_ ??= (async () => {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return producer;
    })();
    return this.producer_;
  }

  /** The raw-topic publisher ingest uses, over a batching producer (many small sends, few requests). */
  async rawPublisher(): Promise<RawPublisher> {
    const [producer, codecs] = await Promise.all([this.producer(), this.codecs()]);
    this.batcher_ ??= new BatchingProducer(producer, { lingerMs: 5, maxBatch: 500 });
    return new RawPublisher(this.batcher_, this.topics, codecs.raw, codecs.dlq);
  }

  async close(): Promise<void> {
    await this.batcher_?.drain();
    if (this.producer_) await (await this.producer_).disconnect();
    if (this.admin_) await (await this.admin_).disconnect();
    this.redis_?.disconnect();
  }
}
