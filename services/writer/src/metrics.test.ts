import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { mappedRecord } from '../../../test/support/mapped-fixtures.js';
import { syncEvent } from '../../../src/contracts/sync-event.js';
import { createWriterMetrics } from './metrics.js';

describe('writer metrics', () => {
  it('exposes outcomes, latency, throttle level, waits, throttles, retries and queue depth', async () => {
    const registry = new Registry();
    const metrics = createWriterMetrics(registry);
    metrics.countEvents([syncEvent(mappedRecord(), 'CREATED', {}, new Date())]);
    const pacer = metrics.pacerHooks('mainbrand.myshopify.com');
    pacer.onLevel?.(1500);
    pacer.onWait?.(250);
    pacer.onThrottled?.();
    metrics.adminCallHooks('mainbrand.myshopify.com').onCall?.('DraftOrderCreate', 'ok', 120);
    metrics.onRetry('DraftOrderUpdate', 'transient');
    metrics.setQueueDepth('0', 7);
    metrics.onPartitionRestart('0');
    metrics.setConsumerRunning(true);
    const text = await registry.metrics();
    expect(text).toContain('writer_sync_outcomes_total{outcome="CREATED"} 1');
    expect(text).toContain('writer_throttle_available_points{shop="mainbrand.myshopify.com"} 1500');
    expect(text).toContain('writer_pacing_wait_seconds_total{shop="mainbrand.myshopify.com"} 0.25');
    expect(text).toContain('writer_throttled_total{shop="mainbrand.myshopify.com"} 1');
    expect(text).toContain('writer_shopify_request_seconds_count{shop="mainbrand.myshopify.com",operation="DraftOrderCreate",result="ok"} 1');
    expect(text).toContain('writer_retries_total{operation="DraftOrderUpdate",kind="transient"} 1');
    expect(text).toContain('writer_queue_depth{partition="0"} 7');
    expect(text).toContain('writer_partition_restarts_total{partition="0"} 1');
    expect(text).toContain('writer_consumer_running 1');
  });
});
