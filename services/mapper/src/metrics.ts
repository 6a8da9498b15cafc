// What the mapper counts: records in by topic and outcome, mapped records out by action and
// skip reason, batch size and latency, dead letters, Redis lookup round trips, retries.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What became of one raw record. */
export type RecordOutcome = 'mapped' | 'product_change' | 'dead_lettered' | 'already_committed';

export interface MapperMetrics {
  readonly recordsIn: Counter<'topic' | 'outcome'>;
  readonly mappedOut: Counter<'action' | 'skip_reason'>;
  readonly deadLetters: Counter<'reason'>;
  readonly batchSize: Histogram;
  readonly batchSeconds: Histogram;
  readonly lookupRoundTrips: Counter;
  readonly lookupVariants: Counter;
  readonly batchRetries: Counter<'stage'>;
  readonly consumerRunning: Gauge;
  readonly mapWorkers: Gauge;
  readonly mapWorkerReplacements: Counter;
}

export function createMapperMetrics(registry: Registry): MapperMetrics {
  const registers = [registry];
  return {
    recordsIn: new Counter({
      name: 'mapper_records_in_total',
      help: 'Raw records consumed, by Shopify topic and outcome',
      labelNames: ['topic', 'outcome'],
      registers,
    }),
    mappedOut: new Counter({
      name: 'mapper_mapped_out_total',
      help: 'MappedDraftOrder records committed, by action and skip reason ("" when not skipped)',
      labelNames: ['action', 'skip_reason'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'mapper_dead_letters_total',
      help: 'Raw records sent to the DLQ, by reason class',
      labelNames: ['reason'],
      registers,
    }),
    batchSize: new Histogram({
      name: 'mapper_batch_size',
      help: 'Records per consumed batch (one transaction each)',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'mapper_batch_seconds',
      help: 'Time from receiving a batch to its committed transaction',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    lookupRoundTrips: new Counter({
      name: 'mapper_lookup_round_trips_total',
      help: 'Redis round trips spent on variant lookups',
      registers,
    }),
    lookupVariants: new Counter({
      name: 'mapper_lookup_variants_total',
      help: 'Destination variant ids looked up (unique per batch and connection)',
      registers,
    }),
    batchRetries: new Counter({
      name: 'mapper_batch_retries_total',
      help: 'Batches redone after a failure, by the stage that failed',
      labelNames: ['stage'],
      registers,
    }),
    consumerRunning: new Gauge({
      name: 'mapper_consumer_running',
      help: '1 while the consumer is in its group and consuming',
      registers,
    }),
    mapWorkers: new Gauge({
      name: 'mapper_map_workers',
      help: 'Map worker threads (parse, validate, map, encode)',
      registers,
    }),
    mapWorkerReplacements: new Counter({
      name: 'mapper_map_worker_replacements_total',
      help: 'Map workers replaced after their thread died (their batches are redone)',
      registers,
    }),
  };
}
