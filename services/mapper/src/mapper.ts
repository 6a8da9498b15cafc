// Wires the mapper's parts together; used by main.ts, tests, the demo and the benchmark.
import type { Consumer } from 'kafkajs';
import type { AvroMappedDraftOrder } from '../../../src/contracts/mapped-draft-order.js';
import { DEFAULT_MAPPING_PREFIX, RedisMappingStore } from '../../../src/variant-mappings/index.js';
import type { DeadLetter } from '../../../src/contracts/dead-letter.js';
import { startOpsServer } from '../../../src/shared/http/ops-server.js';
import { createKafka } from '../../../src/shared/kafka/client.js';
import { coPartitioned, ensureTopics, topicNames } from '../../../src/shared/kafka/topics.js';
import { createRedis, redisAnswersWithin, type RedisClient } from '../../../src/shared/redis.js';
import { createRegistry, registerTopicSchema, TOPIC_SCHEMAS } from '../../../src/shared/registry/schemas.js';
import { createBatchHandler, forgetUnassigned } from './batch-handler.js';
import { createMapperMetrics } from './metrics.js';
import { PartitionProducers } from './partition-producers.js';
import type { ConsumerServiceOptions, RunningConsumerService } from '../../../src/shared/service.js';
import { batchedLookup, type BatchLookup } from '../../../src/map-stage/variant-lookup.js';
import { defaultWorkerCount, MapWorkers } from './workers/map-workers.js';

/** Defaults: group `${topicPrefix}mapper`, Redis prefix `dos:`, 6 partitions at once (the default
 * partition count), 4 MiB fetches per partition: bigger batches spread each transaction, lookup
 * and fetch round trip (while which the map workers idle) over more drafts. */
export interface MapperOptions extends ConsumerServiceOptions {
  /** Prefix of the per-partition transactional ids; default the group id. */
  readonly transactionalId?: string;
  /** Map worker threads (parse, validate, map, encode); default one per core beyond the consumer's. */
  readonly workers?: number;
  /** Replaces the map worker script (a test injects one that crashes). */
  readonly workerEntry?: URL;
  /** Replaces the batched variant lookup (the benchmark's per-line baseline). */
  readonly lookup?: (store: RedisMappingStore, redis: RedisClient) => BatchLookup;
}

export type RunningMapper = RunningConsumerService;

export async function startMapper(opts: MapperOptions): Promise<RunningMapper> {
  const { logger, infra } = opts;
  const topics = topicNames(infra.topicPrefix);
  const groupId = opts.groupId ?? `${infra.topicPrefix}mapper`;
  const metrics = createMapperMetrics(opts.metricsRegistry);

  const kafka = createKafka({ brokers: infra.kafkaBrokers.join(','), clientId: 'mapper', logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics);
  const registry = createRegistry(infra.schemaRegistryUrl);
  const deadLetterCodec = await registerTopicSchema<DeadLetter>(registry, topics.dlq, TOPIC_SCHEMAS.dlq);
  // Registered here, once: the workers encode with its id (concurrent first registrations race).
  const mapped = await registerTopicSchema<AvroMappedDraftOrder>(registry, topics.mapped, TOPIC_SCHEMAS.mapped);

  // Fail Redis commands fast while it is down: the batch is redone, nothing waits forever.
  const redis = createRedis(infra.redisUrl, { maxRetriesPerRequest: 1 });
  let redisErrorLoggedAt = 0;
  redis.on('error', (err: unknown) => {
    // ioredis reconnects by itself; say so at most every 5 s instead of once per attempt.
    if (Date.now() - redisErrorLoggedAt < 5000) return;
    redisErrorLoggedAt = Date.now();
    logger.warn({ err }, 'redis unavailable; batches are redone until it answers');
  });
  const store = new RedisMappingStore(redis, { prefix: opts.redisKeyPrefix ?? DEFAULT_MAPPING_PREFIX });
  const workers = await MapWorkers.start(
    { config: opts.config, schemaRegistryUrl: infra.schemaRegistryUrl, mappedTopic: topics.mapped, mappedSchemaId: mapped.schemaId },
    { count: opts.workers ?? defaultWorkerCount(), logger, onReplaced: () => metrics.mapWorkerReplacements.inc(), ...(opts.workerEntry ? { entry: opts.workerEntry } : {}) },
  );
  metrics.mapWorkers.set(workers.size);
  const producers = new PartitionProducers({ kafka, admin, groupId, transactionalIdPrefix: opts.transactionalId ?? groupId, logger });
  const failing = new Set<string>();

  const concurrency = opts.partitionsConsumedConcurrently ?? 6;
  const maxBytesPerPartition = opts.maxBytesPerPartition ?? 4 * 1_048_576;
  const consumer: Consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: Math.max(500, Math.floor((opts.sessionTimeoutMs ?? 30_000) / 10)),
    maxBytesPerPartition,
    // Room for every partition processed at once (kafkajs' default caps a fetch at 10 MB).
    maxBytes: maxBytesPerPartition * concurrency,
    maxWaitTimeInMs: 250,
  });
  let running = false;
  const setRunning = (value: boolean): void => {
    running = value;
    metrics.consumerRunning.set(value ? 1 : 0);
  };
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    setRunning(true);
    const assigned = new Map(Object.entries(event.payload.memberAssignment));
    forgetUnassigned(failing, assigned);
    void producers.retain(assigned);
  });
  consumer.on(consumer.events.CRASH, (event) => {
    logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
    setRunning(false);
  });
  consumer.on(consumer.events.STOP, () => setRunning(false));

  await consumer.connect();
  await consumer.subscribe({ topic: topics.raw, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: concurrency,
    eachBatch: createBatchHandler({
      topics,
      workers,
      producers,
      store,
      lookup: opts.lookup?.(store, redis) ?? batchedLookup(store),
      deadLetterCodec,
      coPartitioned: await coPartitioned(admin, topics.raw, topics.mapped),
      metrics,
      logger,
      failing,
    }),
  });

  const ready = async (): Promise<boolean> => running && failing.size === 0 && (await redisAnswersWithin(redis, 1000));
  const ops = await startOpsServer({ ready, metrics: opts.metricsRegistry }, { host: opts.opsHost, port: opts.opsPort, logger });
  const opsUrl = ops?.url ?? null;
  logger.info({ groupId, rawTopic: topics.raw, opsUrl, workers: workers.size }, 'mapper consuming');

  return {
    opsUrl,
    ready,
    async stop() {
      // disconnect() stops the fetch loop and waits for the batches in flight (and their transactions).
      await consumer.disconnect();
      setRunning(false);
      await producers.closeAll();
      await workers.close();
      await admin.disconnect();
      await ops?.close();
      await store.close();
      redis.disconnect();
    },
  };
}
