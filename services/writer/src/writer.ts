// Wires the writer's parts together; used by main.ts, tests, the demo and the benchmark.
import { startOpsServer, type OpsServer } from '../../../src/shared/http/ops-server.js';
import { Infra } from '../../../src/shared/infra.js';
import { TOPIC_CONTRACTS } from '../../../src/contracts/index.js';
import { judgedByLiveSettings, startLiveConfig } from '../../../src/live-settings/index.js';
import { findConnectionById } from '../../../src/shared/config/index.js';
import { RegisteredValueReader } from '../../../src/shared/registry/registered-value.js';
import { redisAnswersWithin } from '../../../src/shared/redis.js';
import type { ApplyDeps } from './apply/apply-mapped.js';
import { CustomerResolver } from './apply/customer-resolver.js';
import type { RetryPolicy } from './apply/retry.js';
import { MappedConsumer } from './consumer/mapped-consumer.js';
import { OutcomePublisher } from './consumer/outcome-publisher.js';
import { PartitionGenerations } from './consumer/generations.js';
import { LinkStore } from '../../../src/links/link-store.js';
import { createWriterMetrics } from './metrics.js';
import { systemClock, type Clock } from '../../../src/shared/clock.js';
import type { AdminGraphql } from '../../../src/shopify/admin-client.js';
import { createPacedClients, createSourceStores } from './shopify/source-stores.js';
import { destinationTruth } from './apply/destination-truth.js';
import { CopyStates } from './apply/copy-states.js';
import { RedisMappingStore } from '../../../src/variant-mappings/index.js';
import { SourceAccess } from './startup/source-access.js';
import type { ConsumerServiceOptions, RunningConsumerService } from '../../../src/shared/service.js';

/** Defaults: 6 partitions at once, 8 keys at once per partition. Group and Redis prefix: `names`. */
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
  // Alive from the first moment (a liveness probe must not kill a process still checking its
  // stores or joining its group); ready once it consumes.
  let ready = async (): Promise<boolean> => false;
  const ops = await startOpsServer({ ready: () => ready(), metrics: opts.metricsRegistry }, { host: opts.opsHost, port: opts.opsPort, logger: opts.logger });
  try {
    return await consume(opts, ops, (check) => (ready = check));
  } catch (error) {
    await ops?.close();
    throw error;
  }
}

async function consume(opts: WriterOptions, ops: OpsServer | null, setReady: (check: () => Promise<boolean>) => void): Promise<RunningWriter> {
  const { logger, config, names } = opts;
  const metrics = createWriterMetrics(opts.metricsRegistry);
  const prefix = names.writerPrefix;

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
  // Destinations are only read, to settle two versions of one second (ties).
  const destinationShops = new Set(config.connections.map((c) => c.destinationShop));
  const destinations = createPacedClients(config.stores.filter((s) => destinationShops.has(s.shop)), {
    ...(opts.clock ? { clock: opts.clock } : {}),
    timeoutMs: opts.shopifyTimeoutMs ?? 15_000,
  });

  // Fail Redis commands fast while it is down: the partition restarts, nothing waits forever.
  const infra = new Infra({ settings: opts.infra, names, clientId: 'writer', logger, redis: { maxRetriesPerRequest: 1 } });
  const { topics } = infra;
  await infra.admin();
  const codecs = await infra.codecs();
  // Live settings: read to their topic's end (seeded from the file) before anything is consumed.
  const live = await startLiveConfig(infra, config, { logger, role: 'writer', seed: true });
  const redis = infra.redis();
  const links = new LinkStore(redis, { prefix });
  const batcher = await infra.batcher({ lingerMs: 2, maxBatch: 500 });

  const mapped = new MappedConsumer({
    kafka: infra.kafka(),
    topic: topics.mapped,
    groupId: names.writerGroup,
    // The one place live settings reach the writer: each record is judged by them as it is taken in.
    decoder: new RegisteredValueReader(infra.registry(), judgedByLiveSettings(TOPIC_CONTRACTS.mapped, (id) => findConnectionById(live.config(), id))),
    publisher: new OutcomePublisher({ producer: batcher, topics, events: codecs.events, deadLetters: codecs.dlq, metrics }),
    links,
    generations: new PartitionGenerations(redis, { prefix, topic: topics.mapped }),
    applyDeps: {
      links,
      storeFor: (shop) => stores.get(shop),
      customers: new CustomerResolver(redis, { prefix }),
      clock: opts.clock ?? systemClock,
      // A request of a writer that lost the partition ends by its deadline; a margin for clocks.
      inFlightMs: (opts.shopifyTimeoutMs ?? 15_000) + 5_000,
      destination: destinationTruth({
        clientFor: (shop) => destinations.get(shop),
        connectionFor: (id) => findConnectionById(live.config(), id),
        mappings: new RedisMappingStore(redis, { prefix: names.mappingPrefix }),
      }),
      copyStates: new CopyStates({ storeFor: (shop) => stores.get(shop) }),
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
    // 6 s (the broker's default minimum): a crashed writer's partitions move on within ~7 s (README, "Reliability").
    sessionTimeoutMs: opts.sessionTimeoutMs ?? 6000,
    maxBytesPerPartition: opts.maxBytesPerPartition ?? 1_048_576,
  });
  await mapped.start().catch(async (error: unknown) => {
    await live.stop();
    throw error;
  });

  const ready = async (): Promise<boolean> => mapped.healthy && access.ok() && (await redisAnswersWithin(redis, 1000));
  setReady(ready);
  const opsUrl = ops?.url ?? null;
  logger.info({ groupId: names.writerGroup, mappedTopic: topics.mapped, sourceStores: [...stores.keys()], opsUrl }, 'writer consuming');

  return {
    opsUrl,
    ready,
    async stop() {
      await mapped.stop(opts.shutdownGraceMs ?? 10_000);
      await live.stop();
      await ops?.close();
      // Drains the batching producer (outcomes still queued) before disconnecting it.
      await infra.close();
    },
  };
}

