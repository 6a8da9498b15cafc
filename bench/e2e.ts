// bench:e2e — latency from a webhook's 200 at ingest to the source store's reply to the write it
// caused (draftOrderCreate), through the real broker, registry and Redis: ingest → mapper →
// writer → simulated source store. A steady load of new drafts, first with a store budget that
// never binds (what the pipeline itself costs), then on a Standard-plan budget (100 points/s:
// about 10 creates/s) to show the queue the budget builds. Each phase starts with a warm-up that is not measured. Prints the
// figures and ends with one JSON line.
import { createHmac } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { startIngest } from '../services/ingest/src/ingest.js';
import { startMapper } from '../services/mapper/src/mapper.js';
import { startWriter } from '../services/writer/src/writer.js';
import { syncTagFor } from '../src/domain/keys.js';
import { parseConfigText, WEBHOOK_PATH, type AppConfig } from '../src/shared/config/index.js';
import { createLogger } from '../src/shared/log.js';
import { deleteByPrefix } from '../src/shared/redis.js';
import { startTracing } from '../src/shared/tracing.js';
import type { AdminGraphql, CallOptions } from '../src/shopify/admin-client.js';
import { RedisMappingStore } from '../src/variant-mappings/index.js';
import { startSimulator } from '../simulator/simulator.js';
import type { RunningStack } from '../stack/stack.js';
import { draftBody } from './support/draft-bodies.js';
import { benchInfra, benchSettings, benchStack, percentile, progress } from './support/stack.js';

const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const THROTTLED_SECONDS = Number(process.env.BENCH_THROTTLED_SECONDS ?? 5);
/** Sent first and not measured: JIT, connections and the writer's customer cache warm up. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 15);
const SOURCE = 'mainbrand.myshopify.com';
const DESTINATION = 'eu-brand.myshopify.com';
const SECRET = 'eu-brand-secret';
const VARIANTS = 20;
const DEST_VARIANT = (n: number): number => 45_000_000 + n;

interface Latencies {
  readonly sent: number;
  readonly applied: number;
  readonly ms: readonly number[];
  /** The measured drafts' keys, for the per-stage breakdown. */
  readonly keys: ReadonlySet<string>;
}

// The pipeline's own traces (src/shared/tracing.ts) tell where the time goes, stage by stage.
const spans = new InMemorySpanExporter();
const tracing = startTracing({ enabled: true }, spans);

/** One phase: `seconds` of `RATE` new drafts a second, each timed from its 200 to its create's reply. */
async function phase(stack: RunningStack, label: string, throttle: { maximumAvailable: number; restoreRate: number; timeScale?: number }, seconds: number, warmupSeconds: number): Promise<Latencies> {
  const run = `bench-e2e-${label}-${Date.now().toString(36)}`;
  const sim = await startSimulator({ stores: [{ shop: SOURCE, currency: 'EUR', throttle }, { shop: DESTINATION, currency: 'EUR', webhookSecret: SECRET }] });
  const source = sim.store(SOURCE);
  source.seedProducts([{ title: 'Bench', options: ['N'], variants: Array.from({ length: VARIANTS }, (_, n) => ({ sku: `E2E-${n}`, price: '10.00', options: [String(n)] })) }]);
  const config: AppConfig = parseConfigText(
    JSON.stringify({
      stores: [
        { shop: SOURCE, adminTokenEnv: 'T', webhookSecretEnvs: ['MS'], adminApiUrl: sim.adminBaseUrl(SOURCE) },
        { shop: DESTINATION, adminTokenEnv: 'T', webhookSecretEnvs: ['S'] },
      ],
      connections: [{ id: 'eu', source: SOURCE, destination: DESTINATION }],
    }),
    { T: source.accessToken, MS: 'main', S: SECRET },
    'json',
  );
  const settings = benchSettings(stack, { TOPIC_PREFIX: `${run}.`, REDIS_KEY_PREFIX: `${run}:`, WRITER_REDIS_PREFIX: `${run}:writer:` });
  const infra = benchInfra('bench-e2e', settings);
  await infra.admin();
  const mappings = new RedisMappingStore(infra.redis(), { prefix: settings.names.mappingPrefix });
  for (let n = 0; n < VARIANTS; n++) await mappings.set('eu', String(DEST_VARIANT(n)), String(source.variantBySku(`E2E-${n}`).id));

  // The moment the source store answered each create, by the sync tag it carried.
  const appliedAt = new Map<string, number>();
  const wrap = (_shop: string, api: AdminGraphql): AdminGraphql => ({
    shop: api.shop,
    async call<T>(operation: string, document: string, variables: Record<string, unknown>, options?: CallOptions) {
      const result = await api.call<T>(operation, document, variables, options);
      if (operation === 'DraftOrderCreate' && result.kind === 'ok') {
        const tags = ((variables.input as { tags?: unknown } | undefined)?.tags ?? []) as string[];
        for (const tag of tags) if (tag.startsWith('dos-')) appliedAt.set(tag, performance.now());
      }
      return result;
    },
  });
  const logger = createLogger(`bench-e2e-${label}`, settings.logLevel ?? 'warn');
  const common = { config, infra: settings.infra, names: settings.names, logger };
  const ingest = await startIngest({ ...common, metricsRegistry: new Registry(), host: '127.0.0.1', port: 0, bodyLimitBytes: 1 << 20, publishTimeoutMs: 3000 });
  const mapper = await startMapper({ ...common, metricsRegistry: new Registry() });
  const writer = await startWriter({ ...common, metricsRegistry: new Registry(), wrapSourceApi: wrap });
  await waitUntil(async () => (await mapper.ready()) && (await writer.ready()), 60_000);

  const acked = new Map<string, number>();
  const keyOfTag = new Map<string, string>();
  const warmup = RATE * warmupSeconds;
  const total = warmup + RATE * seconds;
  const started = performance.now();
  let failed = 0;
  const sends: Promise<void>[] = [];
  let lastReport = started;
  try {
    for (let i = 0; i < total; i++) {
      // A steady rate: each webhook leaves at its own slot, whatever the previous ones took.
      const slot = started + (i * 1000) / RATE;
      const wait = slot - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const id = 2_000_000_000 + i;
      const body = draftBody({ id, shop: DESTINATION, variantIds: [DEST_VARIANT(i % VARIANTS), DEST_VARIANT((i + 7) % VARIANTS)] });
      const key = `${DESTINATION}/draft/${id}`;
      const tag = syncTagFor(key);
      if (i >= warmup) keyOfTag.set(tag, key);
      sends.push(
        fetch(`${ingest.url}${WEBHOOK_PATH}`, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'x-shopify-topic': 'draft_orders/create',
            'x-shopify-shop-domain': DESTINATION,
            'x-shopify-api-version': '2026-10',
            'x-shopify-webhook-id': `${run}-${i}`,
            'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
          },
        }).then(
          (res) => {
            if (res.status === 200 && i >= warmup) acked.set(tag, performance.now());
            else if (res.status !== 200) failed++;
          },
          () => void failed++,
        ),
      );
      if (performance.now() - lastReport >= 5000) {
        lastReport = performance.now();
        progress(`[bench:e2e] ${label}: ${i + 1}/${total} sent, ${appliedAt.size} applied`);
      }
    }
    await Promise.all(sends);
    // Everything acknowledged is applied in the end; wait for it (the throttled phase drains its queue).
    const drainDeadline = performance.now() + 10 * 60_000;
    while ([...acked.keys()].some((tag) => !appliedAt.has(tag)) && performance.now() < drainDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (performance.now() - lastReport >= 5000) {
        lastReport = performance.now();
        progress(`[bench:e2e] ${label}: draining, ${[...acked.keys()].filter((tag) => appliedAt.has(tag)).length}/${acked.size} measured drafts applied`);
      }
    }
    const ms = [...acked].flatMap(([tag, at]) => {
      const applied = appliedAt.get(tag);
      return applied === undefined ? [] : [applied - at];
    });
    if (failed > 0) progress(`[bench:e2e] ${label}: ${failed} webhooks not answered 200`);
    return { sent: total - warmup, applied: ms.length, ms: ms.sort((a, b) => a - b), keys: new Set(keyOfTag.values()) };
  } finally {
    await ingest.stop();
    await mapper.stop();
    await writer.stop();
    await sim.close();
    await deleteByPrefix(infra.redis(), `${run}:`);
    const admin = await infra.admin();
    await admin.deleteTopics({ topics: Object.values(infra.topics) }).catch(() => undefined);
    await infra.close();
  }
}

async function waitUntil(probe: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('services not ready in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const figures = (l: Latencies): { p50_ms: number; p95_ms: number; p99_ms: number; max_ms: number } => ({
  p50_ms: Math.round(percentile(l.ms, 50)),
  p95_ms: Math.round(percentile(l.ms, 95)),
  p99_ms: Math.round(percentile(l.ms, 99)),
  max_ms: Math.round(l.ms[l.ms.length - 1] ?? 0),
});

const ms = (time: [number, number]): number => time[0] * 1000 + time[1] / 1e6;

/**
 * Per measured draft, from its trace: ingest's webhook span (the 200 is sent when it ends) →
 * the mapper's map span (its batch mapped and encoded, before the transaction) → the writer's
 * apply span (picked up) → the create's reply. p50/p99 of each step.
 */
function stages(keys: ReadonlySet<string>): Record<string, { p50_ms: number; p99_ms: number }> {
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans.getFinishedSpans()) {
    const id = span.spanContext().traceId;
    byTrace.set(id, [...(byTrace.get(id) ?? []), span]);
  }
  const steps: Record<string, number[]> = { 'ingest → mapped': [], 'mapped → writer picks up (transaction commit, fetch)': [], 'apply → create replied (Shopify, customer lookup)': [] };
  for (const trace of byTrace.values()) {
    const find = (scope: string, name: string): ReadableSpan | undefined => trace.find((s) => s.instrumentationScope.name === scope && s.name === name);
    const webhook = find('ingest', 'webhook draft_orders/create');
    if (!webhook || !keys.has(String(webhook.attributes['dos.key']))) continue;
    const map = find('mapper', 'map');
    const apply = find('writer', 'apply');
    const create = find('shopify', 'shopify DraftOrderCreate');
    if (!map || !apply || !create) continue;
    steps['ingest → mapped']!.push(ms(map.startTime) - ms(webhook.endTime));
    steps['mapped → writer picks up (transaction commit, fetch)']!.push(ms(apply.startTime) - ms(map.startTime));
    steps['apply → create replied (Shopify, customer lookup)']!.push(ms(create.endTime) - ms(apply.startTime));
  }
  return Object.fromEntries(
    Object.entries(steps).map(([step, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return [step, { p50_ms: Math.round(percentile(sorted, 50)), p99_ms: Math.round(percentile(sorted, 99)) }];
    }),
  );
}

const stack = await benchStack();
try {
  progress(`[bench:e2e] ${RATE} drafts/s for ${SECONDS} s (after ${WARMUP_SECONDS} s of warm-up), store budget not binding`);
  const free = await phase(stack, 'free', { maximumAvailable: 1_000_000, restoreRate: 100_000 }, SECONDS, WARMUP_SECONDS);
  const breakdown = stages(free.keys);
  for (const [step, f] of Object.entries(breakdown)) progress(`[bench:e2e] free: ${step}: p50 ${f.p50_ms} ms, p99 ${f.p99_ms} ms`);
  spans.reset();
  const f = figures(free);
  progress(`[bench:e2e] free: ${free.applied}/${free.sent} applied; p50 ${f.p50_ms} ms, p95 ${f.p95_ms} ms, p99 ${f.p99_ms} ms, max ${f.max_ms} ms`);
  progress(`[bench:e2e] ${RATE} drafts/s for ${THROTTLED_SECONDS} s on a Standard-plan budget (2000 points, 100/s), the process warm already`);
  const standard = await phase(stack, 'standard', { maximumAvailable: 2000, restoreRate: 100 }, THROTTLED_SECONDS, 0);
  const s = figures(standard);
  progress(`[bench:e2e] standard: ${standard.applied}/${standard.sent} applied; p50 ${s.p50_ms} ms, p95 ${s.p95_ms} ms, p99 ${s.p99_ms} ms, max ${s.max_ms} ms`);
  process.stdout.write(
    `${JSON.stringify({ bench: 'e2e', metric: 'p99_ms', value: f.p99_ms, ...f, rate: RATE, seconds: SECONDS, applied: free.applied, sent: free.sent, stages: breakdown, standard: { ...s, seconds: THROTTLED_SECONDS, applied: standard.applied, sent: standard.sent } })}\n`,
  );
} finally {
  await tracing.shutdown();
  await stack.stop();
}
process.exit(0);
