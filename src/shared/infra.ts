// The one infrastructure bootstrap: the Kafka client, an admin with the topics ensured, the
// registry with every topic's codec, Redis and an idempotent producer — each opened on first
// use from the settings, all closed in reverse by close(). Services, the operator commands,
// the status page, benchmarks and tests get their connections here and nowhere else.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { TOPIC_CONTRACTS } from '../contracts/index.js';
import type { ConnectionSettingChange, ConnectionSettingsRecord } from '../contracts/connection-settings.js';
import type { DeadLetter } from '../contracts/dead-letter.js';
import type { RawWebhookEnvelope } from '../contracts/raw-envelope.js';
import type { DraftOrderSyncEvent } from '../contracts/sync-event.js';
import type { MappedDraftOrder } from '../domain/model.js';
import type { InfraSettings } from './config/infra.js';
import type { Names } from './config/names.js';
import { BatchingProducer } from './kafka/batching-producer.js';
import { createKafka, type KafkaOptions } from './kafka/client.js';
import { ensureTopics, topicNames, type TopicNames } from './kafka/topics.js';
import type { Logger } from './log.js';
import { RawPublisher } from './raw-topic.js';
import { createRedis, type RedisClient, type RedisOptions } from './redis.js';
import { RegisteredValueReader } from './registry/registered-value.js';
import { createRegistry, registerTopicSchema, type TopicCodec } from './registry/schemas.js';

export interface Codecs {
  readonly raw: TopicCodec<RawWebhookEnvelope>;
  readonly mapped: TopicCodec<MappedDraftOrder>;
  readonly events: TopicCodec<DraftOrderSyncEvent>;
  readonly dlq: TopicCodec<DeadLetter>;
  readonly settings: TopicCodec<ConnectionSettingsRecord>;
  readonly settingsAudit: TopicCodec<ConnectionSettingChange>;
}

export interface InfraOptions {
  readonly settings: InfraSettings;
  readonly names: Names;
  readonly clientId: string;
  readonly logger: Logger;
  /** kafkajs tuning (e.g. ingest fails a produce fast, within Shopify's 5 s). */
  readonly kafka?: Pick<KafkaOptions, 'retries' | 'connectionTimeoutMs' | 'requestTimeoutMs'>;
  readonly redis?: Pick<RedisOptions, 'maxRetriesPerRequest'>;
}

/** Redis keeps reconnecting by itself; one line per this long says it is still down. */
const REDIS_ERROR_LOG_INTERVAL_MS = 5000;

export class Infra {
  readonly topics: TopicNames;
  readonly names: Names;
  readonly settings: InfraSettings;
  readonly logger: Logger;
  private kafka_: Kafka | null = null;
  private admin_: Promise<Admin> | null = null;
  private registry_: SchemaRegistry | null = null;
  private codecs_: Promise<Codecs> | null = null;
  private redis_: RedisClient | null = null;
  private producer_: Promise<Producer> | null = null;
  private batcher_: BatchingProducer | null = null;
  /** Closers of what was opened, in opening order. */
  private readonly opened: (() => Promise<void>)[] = [];

  constructor(private readonly options: InfraOptions) {
    this.settings = options.settings;
    this.names = options.names;
    this.logger = options.logger;
    this.topics = topicNames(options.settings.topicPrefix);
  }

  get topicPrefix(): string {
    return this.settings.topicPrefix;
  }

  kafka(): Kafka {
    this.kafka_ ??= createKafka({ brokers: this.settings.kafkaBrokers, clientId: this.options.clientId, logger: this.logger, ...this.options.kafka });
    return this.kafka_;
  }

  /** Connected, with every topic of the product created if missing. */
  admin(): Promise<Admin> {
    this.admin_ ??= this.open(async () => {
      const admin = this.kafka().admin();
      await admin.connect();
      try {
        await ensureTopics(admin, this.topics, this.settings.topicPartitions, this.settings.topicReplicationFactor);
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
      return { value: admin, close: () => admin.disconnect() };
    });
    return this.admin_;
  }

  registry(): SchemaRegistry {
    this.registry_ ??= createRegistry(this.settings.schemaRegistryUrl);
    return this.registry_;
  }

  /** Registers (idempotently) and returns the codecs of every topic. */
  codecs(): Promise<Codecs> {
    this.codecs_ ??= (async () => {
      const registry = this.registry();
      const [raw, mapped, events, dlq, settings, settingsAudit] = await Promise.all([
        registerTopicSchema(registry, this.topics.raw, TOPIC_CONTRACTS.raw),
        registerTopicSchema(registry, this.topics.mapped, TOPIC_CONTRACTS.mapped),
        registerTopicSchema(registry, this.topics.events, TOPIC_CONTRACTS.events),
        registerTopicSchema(registry, this.topics.dlq, TOPIC_CONTRACTS.dlq),
        registerTopicSchema(registry, this.topics.settings, TOPIC_CONTRACTS.settings),
        registerTopicSchema(registry, this.topics.settingsAudit, TOPIC_CONTRACTS.settingsAudit),
      ]);
      return { raw, mapped, events, dlq, settings, settingsAudit };
    })();
    // A registry that did not answer is asked again on the next call.
    this.codecs_.catch(() => (this.codecs_ = null));
    return this.codecs_;
  }

  /** A batch-at-a-time reader of raw-topic values (see RegisteredValueReader). */
  envelopeReader(): RegisteredValueReader<RawWebhookEnvelope> {
    return new RegisteredValueReader(this.registry(), TOPIC_CONTRACTS.raw);
  }

  mappedReader(): RegisteredValueReader<MappedDraftOrder> {
    return new RegisteredValueReader(this.registry(), TOPIC_CONTRACTS.mapped);
  }

  /** Every error goes through the logger (redacted, rate-limited), never to stderr raw. */
  redis(): RedisClient {
    if (!this.redis_) {
      const redis = createRedis(this.settings.redisUrl, { clusterNodes: this.settings.redisClusterNodes, ...this.options.redis });
      let loggedAt = 0;
      redis.on('error', (err: unknown) => {
        if (Date.now() - loggedAt < REDIS_ERROR_LOG_INTERVAL_MS) return;
        loggedAt = Date.now();
        this.logger.warn({ err }, 'redis unavailable; retrying');
      });
      this.opened.push(async () => redis.disconnect());
      this.redis_ = redis;
    }
    return this.redis_;
  }

  /** Idempotent producer, acks=all: records it acknowledges are durable and not duplicated by its retries. */
  producer(): Promise<Producer> {
    this.producer_ ??= this.open(async () => {
      const producer = await this.connectProducer();
      // Closes whichever producer is current by then (renewProducer may have replaced this one).
      return { value: producer, close: async () => void (await this.producer_?.then((p) => p.disconnect()).catch(() => undefined)) };
    });
    return this.producer_;
  }

  private async connectProducer(): Promise<Producer> {
    const producer = this.kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return producer;
  }

  /** The producer behind a batching queue (many small sends, few requests); drained on close. */
  async batcher(opts: { readonly lingerMs?: number; readonly maxBatch?: number; readonly onBatch?: (size: number) => void } = {}): Promise<BatchingProducer> {
    const producer = await this.producer();
    if (!this.batcher_) {
      const batcher = new BatchingProducer(producer, {
        lingerMs: opts.lingerMs ?? 5,
        maxBatch: opts.maxBatch ?? 500,
        ...(opts.onBatch ? { onBatch: opts.onBatch } : {}),
        renew: () => this.renewProducer(),
      });
      this.opened.push(() => batcher.drain());
      this.batcher_ = batcher;
    }
    return this.batcher_;
  }

  /** Replaces the shared idempotent producer (see brokenProducer): later producer() calls get the new one. */
  private async renewProducer(): Promise<Producer> {
    const old = this.producer_;
    this.logger.warn('kafka: the idempotent producer lost its sequence (a request timed out after it was written); starting a new one');
    const next = this.connectProducer();
    this.producer_ = next;
    await old?.then((p) => p.disconnect()).catch(() => undefined);
    // A broker that does not answer now: the next producer() call starts over.
    next.catch(() => {
      if (this.producer_ === next) this.producer_ = null;
    });
    return next;
  }

  /** The raw-topic publisher ingest uses, over the batching producer. */
  async rawPublisher(): Promise<RawPublisher> {
    const [batcher, codecs] = await Promise.all([this.batcher(), this.codecs()]);
    return new RawPublisher(batcher, this.topics, codecs.raw, codecs.dlq);
  }

  /** Closes what was opened, newest first; a failing step does not keep the others open. */
  async close(): Promise<void> {
    const steps = this.opened.splice(0).reverse();
    for (const step of steps) await step().catch((err: unknown) => this.logger.warn({ err }, 'infra: close step failed'));
    this.kafka_ = null;
    this.admin_ = null;
    this.codecs_ = null;
    this.redis_ = null;
    this.producer_ = null;
    this.batcher_ = null;
  }

  private open<T>(start: () => Promise<{ value: T; close: () => Promise<void> }>): Promise<T> {
    return start().then(({ value, close }) => {
      this.opened.push(close);
      return value;
    });
  }
}
