// OpenTelemetry across the pipeline, with the SDK's in-memory exporter: one webhook yields one
// trace holding spans of ingest, the mapper, the writer and its Shopify calls, the context
// carried in the Kafka records' W3C traceparent headers.
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../src/shared/tracing.js';
import { Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let p: Pipeline;

  beforeAll(async () => {
    // Before the services start: they decide once whether to carry trace headers.
    tracing = startTracing({ enabled: true }, exporter);
    p = await Pipeline.start('traces');
  });

  afterAll(async () => {
    await p?.close();
    await tracing?.shutdown();
  });

  it('one webhook: one trace with spans from ingest, mapper, writer and the Shopify call, each a child of the one before', async () => {
    await p.mapAll();
    const draft = p.createDraft({ 'RED-TS-M': 1 });
    const key = `${p.destination.shop}/draft/${draft.id}`;
    await waitFor('the copy', () => p.copiesOf(draft.id).length === 1, { timeoutMs: 30_000 });
    const spansOf = (): ReadableSpan[] => {
      const webhook = exporter.getFinishedSpans().find((s) => s.instrumentationScope.name === 'ingest' && s.attributes['dos.key'] === key);
      return webhook ? exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === webhook.spanContext().traceId) : [];
    };
    // A span is exported when it ends: the writer's apply ends after its create (links written).
    const trace = await waitFor('the whole trace', () => {
      const spans = spansOf();
      return ['shopify DraftOrderCreate', 'apply', 'map'].every((name) => spans.some((s) => s.name === name)) ? spans : undefined;
    });
    const one = (scope: string, name: string): ReadableSpan => {
      const found = trace.filter((s) => s.instrumentationScope.name === scope && s.name === name);
      expect(found, `${scope} ${name}`).toHaveLength(1);
      return found[0]!;
    };
    const webhook = one('ingest', 'webhook draft_orders/create');
    const map = one('mapper', 'map');
    const apply = one('writer', 'apply');
    const create = one('shopify', 'shopify DraftOrderCreate');
    expect(map.parentSpanContext?.spanId).toBe(webhook.spanContext().spanId);
    expect(apply.parentSpanContext?.spanId).toBe(map.spanContext().spanId);
    expect(create.parentSpanContext?.spanId).toBe(apply.spanContext().spanId);
    expect(apply.attributes['dos.key']).toBe(key);
    expect(new Set(trace.map((s) => s.instrumentationScope.name))).toEqual(new Set(['ingest', 'mapper', 'writer', 'shopify']));
  });
});
