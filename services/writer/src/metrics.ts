// The writer's Prometheus metrics and the hooks that feed them from the pacer, the Admin
// client and the apply logic.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DraftOrderSyncEvent } from '../../../src/contracts/sync-event.js';
import type { PacerHooks } from '../../../src/shopify/pacer.js';
import type { AdminCallHooks } from '../../../src/shopify/admin-client.js';

export interface WriterMetrics {
  /** Count published events by outcome. */
  countEvents(events: readonly DraftOrderSyncEvent[]): void;
  pacerHooks(shop: string): PacerHooks;
  adminCallHooks(shop: string): AdminCallHooks;
  /** For ApplyDeps.onRetry. */
  onRetry(operation: string, kind: string): void;
  /** Records queued or running in one partition's runner. */
  setQueueDepth(partition: string, depth: number): void;
  /** A partition's runner failed (Redis, Kafka) and is restarted from the committed offset. */
  onPartitionRestart(partition: string): void;
  setConsumerRunning(running: boolean): void;
  /** A write was refused because a newer generation owns the partition (never applied). */
  onFencedWrite(partition: string): void;
}

export function createWriterMetrics(registry: Registry): WriterMetrics {
  const outcomes = new Counter({ name: 'writer_sync_outcomes_total', help: 'Sync events by outcome', labelNames: ['outcome'], registers: [registry] });
  const latency = new Histogram({
    name: 'writer_shopify_request_seconds',
    help: 'Admin API request latency by operation and result',
    labelNames: ['shop', 'operation', 'result'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const level = new Gauge({ name: 'writer_throttle_available_points', help: 'Estimated API points available to this process', labelNames: ['shop'], registers: [registry] });
  const waits = new Counter({ name: 'writer_pacing_wait_seconds_total', help: 'Time requests waited for API budget', labelNames: ['shop'], registers: [registry] });
  const throttled = new Counter({ name: 'writer_throttled_total', help: 'THROTTLED replies', labelNames: ['shop'], registers: [registry] });
  const retries = new Counter({ name: 'writer_retries_total', help: 'Retries of transient failures', labelNames: ['operation', 'kind'], registers: [registry] });
  const queue = new Gauge({ name: 'writer_queue_depth', help: 'Records queued or running per partition', labelNames: ['partition'], registers: [registry] });
  const restarts = new Counter({ name: 'writer_partition_restarts_total', help: 'Partition runners restarted after a failure', labelNames: ['partition'], registers: [registry] });
  const fenced = new Counter({ name: 'writer_fenced_writes_total', help: 'Writes refused because a newer writer generation owns the partition', labelNames: ['partition'], registers: [registry] });
  const running = new Gauge({ name: 'writer_consumer_running', help: '1 while the consumer is in the group and fetching', registers: [registry] });

  return {
    countEvents(events) {
      for (const event of events) outcomes.inc({ outcome: event.outcome });
    },
    pacerHooks: (shop) => ({
      onLevel: (points) => level.set({ shop }, points),
      onWait: (ms) => waits.inc({ shop }, ms / 1000),
      onThrottled: () => throttled.inc({ shop }),
    }),
    adminCallHooks: (shop) => ({
      onCall: (operation, result, ms) => latency.observe({ shop, operation, result }, ms / 1000),
    }),
    onRetry: (operation, kind) => retries.inc({ operation, kind }),
    setQueueDepth: (partition, depth) => queue.set({ partition }, depth),
    onPartitionRestart: (partition) => restarts.inc({ partition }),
    setConsumerRunning: (value) => running.set(value ? 1 : 0),
    onFencedWrite: (partition) => fenced.inc({ partition }),
  };
}
