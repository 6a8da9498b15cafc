// Wires the mapper's parts together; used by main.ts, tests, the demo and the benchmark.
import type { Consumer } from 'kafkajs';
import { RedisMappingStore } from '../../../src/variant-mappings/index.js';
import type { SourceRecord } from '../../../src/contracts/dead-letter.js';
import { recordLastWebhooks } from '../../../src/map-stage/last-webhook.js';
import type { MappedSummary } from '../../../src/map-stage/map-batch.js';
import { contextFrom, headersFor, tracerOf, tracingOn } from '../../../src/shared/tracing.js';
import { batchedLookup, type BatchLookup } from '../../../src/map-stage/variant-lookup.js';
import { startOpsServer, type OpsServer } from '../../../src/shared/http/ops-server.js';
import { Infra } from '../../../src/shared/infra.js';
import { startLiveConfig, type LiveConfig } from '../../../src/live-settings/index.js';
import { coPartitioned } from '../../../src/shared/kafka/topics.js';
import { redisAnswersWithin, type RedisClient } from '../../../src/shared/redis.js';
import type { ConsumerServiceOptions, RunningConsumerService } from '../../../src/shared/service.js';
import { createBatchHandler, forgetUnassigned } from './batch-handler.js';
import { createMapperMetrics } from './metrics.js';
import { PartitionProducers } from './partition-producers.js';
import { defaultWorkerCount, MapWorkers } from './workers/map-workers.js';

/** Defaults: 6 partitions at once (the default partition count), 4 MiB fetches per partition:
 * bigger batches spread each transaction, lookup and fetch round trip (while which the map
 * workers idle) over more drafts. Group, transactional ids and Redis prefix: `names`. */
export interface MapperOptions extends ConsumerServiceOptions {
  /** Map worker threads (parse, validate, map, encode); default one per core. */
  readonly workers?: number;
  /** Replaces the map worker script (a test injects one that crashes). */
  readonly workerEntry?: URL;
  /** Replaces the batched variant lookup (the benchmark's per-line baseline). */
  readonly lookup?: (store: RedisMappingStore, redis: RedisClient) => BatchLookup;
}

export type RunningMapper = RunningConsumerService;

const DEFAULT_SESSION_TIMEOUT_MS = 6000;

export async function startMapper(opts: MapperOptions): Promise<RunningMapper> {
  const { logger } = opts;
  // Alive from the first moment (a liveness probe must not kill a process still joining its
  // group); ready once it consumes.
  let ready = async (): Promise<boolean> => false;
  const ops = await startOpsServer({ ready: () => ready(), metrics: opts.metricsRegistry }, { host: opts.opsHost, port: opts.opsPort, logger });
  // Fail Redis commands fast while it is down: the batch is redone, nothing waits forever.
  const infra = new Infra({ settings: opts.infra, names: opts.names, clientId: 'mapper', logger, redis: { maxRetriesPerRequest: 1 } });
  let live: LiveConfig | null = null;
  try {
    // Before anything is consumed: the settings in force, from their topic (seeded from the file).
    live = await startLiveConfig(infra, opts.config, { logger, role: 'mapper', seed: true });
    return await consume(opts, infra, live, ops, (check) => (ready = check));
  } catch (error) {
    await live?.stop();
    await ops?.close();
    await infra.close();
    throw error;
  }
}

async function consume(opts: MapperOptions, infra: Infra, live: LiveConfig, ops: OpsServer | null, setReady: (check: () => Promise<boolean>) => void): Promise<RunningMapper> {
  const { logger, names } = opts;
  const metrics = createMapperMetrics(opts.metricsRegistry);
  const { topics } = infra;
  const admin = await infra.admin();
  // Registered here, once: the workers encode with the mapped schema's id (concurrent first registrations race).
  const codecs = await infra.codecs();
  const redis = infra.redis();
  const store = new RedisMappingStore(redis, { prefix: names.mappingPrefix });
  const workers = await MapWorkers.start(
    { config: live.config(), infra: opts.infra, names, mappedSchemaId: codecs.mapped.schemaId, logLevel: logger.level },
    { count: opts.workers ?? defaultWorkerCount(), logger, onReplaced: () => metrics.mapWorkerReplacements.inc(), ...(opts.workerEntry ? { entry: opts.workerEntry } : {}) },
  );
  metrics.mapWorkers.set(workers.size);
  // A change is handed to every worker before the next batch; the instance then reports it applied.
  live.onChange((config) => workers.useConfig(config));
  workers.useConfig(live.config()); // one saved while the workers started
  const kafka = infra.kafka();
  const producers = new PartitionProducers({ kafka, admin, groupId: names.mapperGroup, transactionalIdPrefix: names.mapperTransactionalId, logger });
  const failing = new Set<string>();

  const concurrency = opts.partitionsConsumedConcurrently ?? 6;
  const maxBytesPerPartition = opts.maxBytesPerPartition ?? 4 * 1_048_576;
  const consumer: Consumer = kafka.consumer({
    groupId: names.mapperGroup,
    readUncommitted: false,
    // A crashed member holds its partitions until its session times out: 6 s (the broker's
    // minimum by default) keeps the pipeline's stall after a kill -9 under 10 s (README, "Reliability").
    sessionTimeout: opts.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
    heartbeatInterval: Math.max(500, Math.floor((opts.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS) / 10)),
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
      deadLetterCodec: codecs.dlq,
      coPartitioned: await coPartitioned(admin, topics.raw, topics.mapped),
      metrics,
      logger,
      failing,
      recordLastWebhooks: (last) => recordLastWebhooks(redis, names.opsPrefix, last),
      ...(tracingOn() ? { headersOf: mapSpan } : {}),
    }),
  });

  const ready = async (): Promise<boolean> => running && failing.size === 0 && (await redisAnswersWithin(redis, 1000));
  setReady(ready);
  const opsUrl = ops?.url ?? null;
  logger.info({ groupId: names.mapperGroup, rawTopic: topics.raw, opsUrl, workers: workers.size }, 'mapper consuming');

  return {
    opsUrl,
    ready,
    async stop() {
      // disconnect() stops the fetch loop and waits for the batches in flight (and their transactions).
      await consumer.disconnect();
      setRunning(false);
      await producers.closeAll();
      await workers.close();
      await live.stop();
      await ops?.close();
      await store.close();
      await infra.close();
    },
  };
}

const tracer = tracerOf('mapper');

/** The mapper's span of one record (a child of its webhook's), passed on in the mapped record's headers. */
function mapSpan(record: SourceRecord, mapped: MappedSummary): Record<string, string> {
  const parent = contextFrom(record.headers);
  const span = tracer.startSpan('map', { attributes: { 'dos.key': mapped.key, 'dos.action': mapped.action, 'dos.version': mapped.version } }, parent);
  span.end();
  return headersFor(parent, span);
}
