// What ingest counts: requests by outcome and topic, produce latency, batch sizes.
import { Counter, Histogram, type Registry } from 'prom-client';

export type IngestOutcome =
  | 'accepted'
  | 'unhandled_topic'
  | 'dead_lettered'
  | 'bad_request'
  | 'unauthorized'
  | 'unavailable';

export interface IngestMetrics {
  readonly requests: Counter<'outcome' | 'topic'>;
  readonly produceSeconds: Histogram;
  readonly batchSize: Histogram;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  return {
    requests: new Counter({
      name: 'ingest_webhooks_total',
      help: 'Webhook requests by outcome and Shopify topic',
      labelNames: ['outcome', 'topic'],
      registers: [registry],
    }),
    produceSeconds: new Histogram({
      name: 'ingest_produce_seconds',
      help: 'Time from a verified webhook to its Kafka acknowledgement',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'ingest_produce_batch_size',
      help: 'Records per produce request',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
  };
}
