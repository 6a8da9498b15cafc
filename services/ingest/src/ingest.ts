// Wires ingest's parts together; used by main.ts, the demo, tests and the benchmark.
import { Infra } from '../../../src/shared/infra.js';
import { kafkaReachability } from '../../../src/shared/kafka/reachability.js';
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
  // Fail a produce within Shopify's 5 s window rather than retrying for long.
  const infra = new Infra({ settings: opts.infra, names: opts.names, clientId: 'ingest', logger, kafka: { retries: 2, requestTimeoutMs: 2500 } });
  try {
    return await serve(opts, infra);
  } catch (error) {
    // A failed start leaves nothing open: main.ts may try again (src/shared/startup.ts).
    await infra.close();
    throw error;
  }
}

async function serve(opts: IngestOptions, infra: Infra): Promise<RunningIngest> {
  const { logger } = opts;
  const admin = await infra.admin();
  const metrics = createIngestMetrics(opts.metricsRegistry);
  await infra.batcher({ lingerMs: opts.lingerMs ?? 1, maxBatch: 1000, onBatch: (size) => metrics.batchSize.observe(size) });
  const publisher = await infra.rawPublisher();
  const reachable = kafkaReachability(admin, infra.topics.raw);

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
      await infra.close(); // drains the produce queue first
    },
  };
}
