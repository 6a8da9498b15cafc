// Wires the writer's parts together; used by main.ts, tests, the demo and the benchmark.
import type { DraftOrderSyncEvent } from '../../../src/domain/model.js';
import type { DeadLetter } from '../../../src/contracts/dead-letter.js';
import { startOpsServer } from '../../../src/shared/http/ops-server.js';
import { BatchingProducer } from '../../../src/shared/kafka/batching-producer.js';
import { createKafka } from '../../../src/shared/kafka/client.js';
import { ensureTopics, topicNames } from '../../../src/shared/kafka/topics.js';
import { createRedis, redisAnswersWithin } from '../../../src/shared/redis.js';
import { createRegistry, registerTopicSchema, TOPIC_SCHEMAS } from '../../../src/shared/registry/schemas.js';
import type { ApplyDeps } from './apply/apply-mapped.js';
import { CustomerResolver } from './apply/customer-resolver.js';
import type { RetryPolicy } from './apply/retry.js';
import { MappedConsumer } from './consumer/mapped-consumer.js';
import { MappedDecoder } from './consumer/mapped-decoder.js';
import { OutcomePublisher } from './consumer/outcome-publisher.js';
import { LinkStore } from '../../../src/links/link-store.js';
import { createWriterMetrics } from './metrics.js';
import { systemClock, type Clock } from '../../../src/shared/clock.js';
import type { AdminGraphql } from '../../../src/shopify/admin-client.js';
import { createSourceStores } from './shopify/source-stores.js';
import { SourceAccess } from './startup/source-access.js';

import type { ConsumerServiceOptions, RunningConsumerService } from '../../../src/shared/service.js';

export const DEFAULT_WRITER_REDIS_PREFIX = 'dos:writer:';

/** Defaults: group `${topicPrefix}writer`, Redis prefix `dos:writer:`, 6 partitions at once. */
export interface WriterOptions extends ConsumerServiceOptions {
  /** Keys applied at once per partition (default 8). */
  readonly keyConcurrency?: number;
  /** Outstanding records at which a partition is paused (default 2000). */
  readonly maxOutstandingPerPartition?: number;
  readonly commitIntervalMs?: number;
  /** On stop, how long in-flight applies may take before retrying ones are interrupted (default 10 s). */
  readonly shutdownGraceMs?: number;
  /** Per-request deadline for Admin API calls (default 15 s). */
  readonly shopifyTimeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly tagSearch?: ApplyDeps['tagSearch'];
  readonly completedTag?: string;
  readonly clock?: Clock;
  /** Wraps each source store's client (fault injection: see startup/crash-after-creates.ts). */
  readonly wrapSourceApi?: (shop: string, api: AdminGraphql) => AdminGraphql;
}

export type RunningWriter = RunningConsumerService;

export async function startWriter(opts: WriterOptions): Promise<RunningWriter> {
  const { logger, infra, config } = opts;
  const topics = topicNames(infra.topicPrefix);
  const groupId = opts.groupId ?? `${infra.topicPrefix}writer`;
  const metrics = createWriterMetrics(opts.metricsRegistry);
  const prefix = opts.redisKeyPrefix ?? DEFAULT_WRITER_REDIS_PREFIX;

  // Only stores that are the source of some connection are written to.
  const sourceShops = new Set(config.connections.map((c) => c.sourceShop));
  const stores = createSourceStores(
    config.stores.filter((s) => sourceShops.has(s.shop)),
    {
      ...(opts.clock ? { clock: opts.clock } : {}),
      timeoutMs: opts.shopifyTimeoutMs ?? 15_000,
      pacerHooks: (shop) => metrics.pacerHooks(shop),
      callHooks: (shop) => metrics.adminCallHooks(shop),
      ...(opts.wrapSourceApi ? { wrap: opts.wrapSourceApi } : {}),
    },
  );
  const access = new SourceAccess(stores, { logger });
  await access.verify();

  const kafka = createKafka({ brokers: infra.kafkaBrokers.join(','), clientId: 'writer', logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics);
  const registry = createRegistry(infra.schemaRegistryUrl);
  const events = await registerTopicSchema<DraftOrderSyncEvent>(registry, topics.events, TOPIC_SCHEMAS.events);
  const deadLetters = await registerTopicSchema<DeadLetter>(registry, topics.dlq, TOPIC_SCHEMAS.dlq);

  // Fail Redis commands fast while it is down: the partition restarts, nothing waits forever.
  const redis = createRedis(infra.redisUrl, { maxRetriesPerRequest: 1 });
  const links = new LinkStore(redis, { prefix });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const batcher = new BatchingProducer(producer, { lingerMs: 2, maxBatch: 500 });

  const mapped = new MappedConsumer({
    kafka,
    topic: topics.mapped,
    groupId,
    decoder: new MappedDecoder(registry),
    publisher: new OutcomePublisher({ producer: batcher, topics, events, deadLetters, metrics }),
    links,
    applyDeps: {
      links,
      storeFor: (shop) => stores.get(shop),
      customers: new CustomerResolver(redis, { prefix }),
      clock: opts.clock ?? systemClock,
      onRetry: (operation, kind) => metrics.onRetry(operation, kind),
      ...(opts.retry ? { retry: opts.retry } : {}),
      ...(opts.tagSearch ? { tagSearch: opts.tagSearch } : {}),
      ...(opts.completedTag ? { completedTag: opts.completedTag } : {}),
    },
    metrics,
    logger,
    keyConcurrency: opts.keyConcurrency ?? 8,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 6,
    maxOutstandingPerPartition: opts.maxOutstandingPerPartition ?? 2000,
    commitIntervalMs: opts.commitIntervalMs ?? 1000,
    sessionTimeoutMs: opts.sessionTimeoutMs ?? 30_000,
    maxBytesPerPartition: opts.maxBytesPerPartition ?? 1_048_576,
  });
  await mapped.start();

  const ready = async (): Promise<boolean> => mapped.healthy && access.ok() && (await redisAnswersWithin(redis, 1000));
  const ops = await startOpsServer({ ready, metrics: opts.metricsRegistry }, { host: opts.opsHost, port: opts.opsPort, logger });
  const opsUrl = ops?.url ?? null;
  logger.info({ groupId, mappedTopic: topics.mapped, sourceStores: [...stores.keys()], opsUrl }, 'writer consuming');

  return {
    opsUrl,
    ready,
    async stop() {
      await mapped.stop(opts.shutdownGraceMs ?? 10_000);
      await batcher.drain();
      await producer.disconnect();
      await admin.disconnect();
      await ops?.close();
      redis.disconnect();
    },
  };
}

