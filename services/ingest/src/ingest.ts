// Wires ingest's parts together; used by main.ts, the demo, tests and the benchmark.
import type { RawWebhookEnvelope } from '../../../src/domain/envelope.js';
import type { DeadLetter } from '../../../src/contracts/dead-letter.js';
import { BatchingProducer } from '../../../src/shared/kafka/batching-producer.js';
import { createKafka } from '../../../src/shared/kafka/client.js';
import { kafkaReachability } from '../../../src/shared/kafka/reachability.js';
import { ensureTopics, topicNames } from '../../../src/shared/kafka/topics.js';
import { RawPublisher } from '../../../src/shared/raw-topic.js';
import { createRegistry, registerTopicSchema, TOPIC_SCHEMAS } from '../../../src/shared/registry/schemas.js';
import type { ServiceOptions } from '../../../src/shared/service.js';
import { createIngestMetrics } from './metrics.js';
import { buildIngestServer } from './server.js';

export interface IngestOptions extends ServiceOptions {
  readonly host: string;
  readonly port: number;
  readonly bodyLimitBytes: number;
  readonly publishTimeoutMs: number;
  /** Linger of the shared produce batches (ms). */
  readonly lingerMs?: number;
}

export interface RunningIngest {
  readonly url: string;
  /** Graceful: stop accepting, finish in-flight requests, flush, disconnect. */
  stop(): Promise<void>;
}

export async function startIngest(opts: IngestOptions): Promise<RunningIngest> {
  const { logger } = opts;
  const topics = topicNames(opts.infra.topicPrefix);
  const kafka = createKafka({
    brokers: opts.infra.kafkaBrokers.join(','),
    clientId: 'ingest',
    logger,
    // Fail a produce within Shopify's 5 s window rather than retrying for long.
    retries: 2,
    requestTimeoutMs: 2500,
  });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics);
  const registry = createRegistry(opts.infra.schemaRegistryUrl);
  const envelopes = await registerTopicSchema<RawWebhookEnvelope>(registry, topics.raw, TOPIC_SCHEMAS.raw);
  const deadLetters = await registerTopicSchema<DeadLetter>(registry, topics.dlq, TOPIC_SCHEMAS.dlq);

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const metrics = createIngestMetrics(opts.metricsRegistry);
  const batcher = new BatchingProducer(producer, {
    lingerMs: opts.lingerMs ?? 1,
    maxBatch: 1000,
    onBatch: (size) => metrics.batchSize.observe(size),
  });
  const publisher = new RawPublisher(batcher, topics, envelopes, deadLetters);
  const reachable = kafkaReachability(admin, topics.raw);

  const app = buildIngestServer({
    config: opts.config,
    publisher,
    metrics,
    metricsRegistry: opts.metricsRegistry,
    logger,
    ready: reachable,
    bodyLimitBytes: opts.bodyLimitBytes,
    publishTimeoutMs: opts.publishTimeoutMs,
  });
  const url = await app.listen({ host: opts.host, port: opts.port });
  return {
    url,
    async stop() {
      await app.close(); // waits for in-flight requests, which wait for their acks
      await batcher.drain();
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}
