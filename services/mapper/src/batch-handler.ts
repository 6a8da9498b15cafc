// The consumer's eachBatch: plan (worker) → product changes and lookup → map and encode
// (worker) → one transaction with the outputs and the consumed offset. Any failure (Redis,
// registry, a map worker, Kafka — including kafkajs' CONCURRENT_TRANSACTIONS right after a
// commit) aborts, discards the partition's producer and redoes the whole batch after a
// backoff, heartbeating meanwhile; offsets are never committed without their outputs.
import type { EachBatchPayload } from 'kafkajs';
import { DosError } from '../../../src/shared/errors.js';
import { backoffDelay, sleep } from '../../../src/shared/retry.js';
import type { TopicNames } from '../../../src/shared/kafka/topics.js';
import type { Logger } from '../../../src/shared/log.js';
import type { SourceRecord } from '../../../src/contracts/dead-letter.js';
import type { LastWebhooks } from '../../../src/map-stage/last-webhook.js';
import { finishBatch, prepareLookup, type BatchOutput, type FinishDeps, type LookupDeps } from '../../../src/map-stage/map-batch.js';
import type { MapperMetrics } from './metrics.js';
import type { PartitionProducers } from './partition-producers.js';
import type { MapWorkers } from './workers/map-workers.js';

export interface BatchHandlerDeps extends LookupDeps, FinishDeps {
  readonly topics: TopicNames;
  readonly workers: Pick<MapWorkers, 'plan'>;
  readonly producers: PartitionProducers;
  readonly metrics: MapperMetrics;
  readonly logger: Logger;
  /** Partitions currently failing, by partitionName (readiness reports them). */
  readonly failing: Set<string>;
  /** Records when each store last sent a webhook (the status page shows silent stores). */
  readonly recordLastWebhooks: (last: LastWebhooks) => Promise<void>;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

type Stage = 'produce' | 'process';

export const partitionName = (topic: string, partition: number): string => `${topic}/${partition}`;

/**
 * Forgets the failures of partitions a rebalance took away: their batches are redone by the
 * new owner, and a failure left behind would keep this process unready for good.
 */
export function forgetUnassigned(failing: Set<string>, assigned: ReadonlyMap<string, readonly number[]>): void {
  const kept = new Set<string>();
  for (const [topic, partitions] of assigned) for (const p of partitions) kept.add(partitionName(topic, p));
  for (const name of failing) if (!kept.has(name)) failing.delete(name);
}

/** A stage of the batch failed: the whole batch is redone. */
class StageError extends DosError {
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super('BATCH_STAGE_FAILED', cause instanceof Error ? cause.message : String(cause), { retriable: true, cause });
  }
}

export function createBatchHandler(deps: BatchHandlerDeps): (payload: EachBatchPayload) => Promise<void> {
  const backoff = { baseDelayMs: deps.backoff?.initialMs ?? 100, maxDelayMs: deps.backoff?.maxMs ?? 5000 };

  return async (payload) => {
    const { batch } = payload;
    if (batch.isEmpty()) return;
    const name = partitionName(batch.topic, batch.partition);
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      if (!payload.isRunning() || payload.isStale()) return; // redelivered to whoever owns it next
      try {
        const done = await processOnce(payload, deps);
        deps.failing.delete(name);
        if (done) {
          deps.metrics.batchSize.observe(batch.messages.length);
          deps.metrics.batchSeconds.observe((performance.now() - started) / 1000);
        }
        return;
      } catch (error) {
        // Not a stage's failure (a heartbeat's: the group is rebalancing): kafkajs handles it.
        if (!(error instanceof StageError)) throw error;
        const { stage, cause } = error;
        deps.failing.add(name);
        deps.metrics.batchRetries.inc({ stage });
        // A transaction that failed leaves the producer in an unknown state; a new one fences it.
        if (stage === 'produce') await deps.producers.discard(batch.topic, batch.partition);
        const delay = backoffDelay(backoff, attempt);
        deps.logger.warn({ err: cause, partition: name, attempt, stage, retryInMs: Math.round(delay) }, 'batch failed; redoing it');
        await pauseWithHeartbeats(payload, delay);
      }
    }
  };
}

/** One attempt; false when the stop/rebalance check came first and nothing was committed. */
async function processOnce(payload: EachBatchPayload, deps: BatchHandlerDeps): Promise<boolean> {
  const { batch } = payload;
  const acquired = await stage('produce', () => deps.producers.acquire(batch.topic, batch.partition));
  const floor = acquired.committedFloor;
  const fresh = floor === null ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= floor);
  const skipped = batch.messages.length - fresh.length;
  if (skipped > 0) deps.metrics.recordsIn.inc({ topic: '', outcome: 'already_committed' }, skipped);
  if (fresh.length === 0) {
    payload.resolveOffset(batch.lastOffset());
    return true;
  }

  const records: SourceRecord[] = fresh.map((m) => ({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key?.toString('utf8') ?? null, value: m.value, headers: m.headers }));
  const planned = await stage('process', () => deps.workers.plan(fresh.map((m) => m.value)));
  let output: BatchOutput;
  try {
    await payload.heartbeat();
    const [lookup] = await stage('process', () => Promise.all([prepareLookup(planned.summaries, deps), deps.recordLastWebhooks(planned.lastWebhooks)]));
    const encoded = await stage('process', () => planned.finish(lookup.result));
    output = await stage('process', () => finishBatch(records, planned.summaries, encoded, lookup, deps));
  } catch (error) {
    planned.discard();
    throw error;
  }
  await payload.heartbeat();
  if (!payload.isRunning() || payload.isStale()) return false;

  await stage('produce', () =>
    deps.producers.commit(acquired.producer, {
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: BigInt(batch.lastOffset()) + 1n,
      topicMessages: [
        ...(output.mapped.length > 0 ? [{ topic: deps.topics.mapped, messages: output.mapped }] : []),
        ...(output.deadLetters.length > 0 ? [{ topic: deps.topics.dlq, messages: output.deadLetters }] : []),
      ],
    }),
  );
  payload.resolveOffset(batch.lastOffset());
  count(output, deps.metrics);
  await payload.heartbeat();
  return true;
}

function count(output: BatchOutput, metrics: MapperMetrics): void {
  metrics.lookupRoundTrips.inc(output.lookupRoundTrips);
  metrics.lookupVariants.inc(output.lookupVariants);
  // Tallied first: one prom-client update per label set and batch, not per record.
  const tally = new Map<string, { inc: () => void; n: number }>();
  const add = (id: string, inc: (n: number) => void): void => {
    const entry = tally.get(id);
    if (entry) entry.n++;
    else {
      const created = { n: 1, inc: () => inc(created.n) };
      tally.set(id, created);
    }
  };
  for (const outcome of output.outcomes) {
    const { shopifyTopic: topic, kind } = outcome;
    add(`in|${topic}|${kind}`, (n) => metrics.recordsIn.inc({ topic, outcome: kind }, n));
    if (outcome.kind === 'mapped') {
      const { action, skipReason } = outcome.mapped;
      add(`out|${action}|${skipReason ?? ''}`, (n) => metrics.mappedOut.inc({ action, skip_reason: skipReason ?? '' }, n));
    } else if (outcome.kind === 'dead_lettered') {
      const reason = outcome.class;
      add(`dlq|${reason}`, (n) => metrics.deadLetters.inc({ reason }, n));
    }
  }
  for (const entry of tally.values()) entry.inc();
}

async function stage<T>(name: Stage, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new StageError(name, error);
  }
}

/** Waits out a backoff in slices, heartbeating so the group keeps the partition with us. */
async function pauseWithHeartbeats(payload: EachBatchPayload, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (payload.isRunning() && Date.now() < until) {
    await sleep(Math.min(500, until - Date.now()));
    await payload.heartbeat();
  }
}
