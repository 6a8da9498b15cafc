// Traces across ingest → mapper → writer → Shopify: one trace per origin record version, the
// W3C `traceparent` carried in Kafka record headers. Configured by the standard OTEL_* variables
// (OTLP over HTTP; the exporter reads its endpoint and headers itself) and off by default: until
// startTracing() registers a provider, the API's tracer is a no-op and `tracingOn()` is false,
// so the hot paths skip header work entirely.
import { context, propagation, ROOT_CONTEXT, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TracingSettings {
  /** OTEL_TRACES_EXPORTER=otlp, or an OTLP endpoint set, and OTEL_SDK_DISABLED not true. */
  readonly enabled: boolean;
}

let on = false;

export function tracingOn(): boolean {
  return on;
}

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Registers the process's tracer provider when tracing is enabled (tests pass an exporter of
 * their own, e.g. the SDK's in-memory one). Returns what to shut down at exit.
 */
export function startTracing(settings: TracingSettings, exporter?: SpanExporter): Tracing {
  if (!settings.enabled && !exporter) return { shutdown: async () => undefined };
  const provider = new NodeTracerProvider({
    spanProcessors: [exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  on = true;
  return {
    async shutdown() {
      on = false;
      await provider.shutdown();
    },
  };
}

/** The tracer of one service (its spans name it as their instrumentation scope). */
export function tracerOf(service: string): Tracer {
  return trace.getTracer(service);
}

type KafkaHeaders = Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;

/** The context a record's headers carry (the root context when none). */
export function contextFrom(headers: KafkaHeaders | undefined): Context {
  if (!headers) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => {
      const value = carrier[key];
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined ? undefined : first.toString();
    },
  });
}

/** Headers that carry `span` (as the parent of what the next stage does). */
export function headersFor(parent: Context, span: Span): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  return carrier;
}

/** Runs `fn` inside `span` (its async work, e.g. Admin API calls, become children), ending it after. */
export async function inSpan<T>(parent: Context, span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } finally {
    span.end();
  }
}
