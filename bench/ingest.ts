// bench:ingest — signed ~3 KB draft webhooks from several shops over loopback into the real
// broker (acks=all), against ingest and, in the same run, the naive design as baseline.
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { startIngest } from '../services/ingest/src/ingest.js';
import { recordKey } from '../src/domain/keys.js';
import type { RawWebhookEnvelope } from '../src/contracts/raw-envelope.js';
import { parseConfigText, webhookSecretsFor, type AppConfig, type Settings } from '../src/shared/config/index.js';
import { topicNames } from '../src/shared/kafka/topics.js';
import { createLogger } from '../src/shared/log.js';
import { draftBody, seeded } from './support/draft-bodies.js';
import { profiled } from './support/profile.js';
import { benchInfra, benchSettings, benchStack, progress } from './support/stack.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SHOPS = ['eu-brand', 'us-brand', 'uk-brand', 'jp-brand'].map((s) => `${s}.myshopify.com`);

function benchConfig(): { config: AppConfig; secret: (shop: string) => string } {
  const env: Record<string, string> = {};
  const stores = SHOPS.map((shop, i) => {
    env[`T${i}`] = 'token';
    env[`S${i}`] = `secret-${shop}`;
    return { shop, adminTokenEnv: `T${i}`, webhookSecretEnvs: [`S${i}`] };
  });
  env.MT = 'token';
  env.MS = 'main-secret';
  stores.push({ shop: 'mainbrand.myshopify.com', adminTokenEnv: 'MT', webhookSecretEnvs: ['MS'] });
  const connections = SHOPS.map((shop, i) => ({ id: `c${i}`, source: 'mainbrand.myshopify.com', destination: shop }));
  return { config: parseConfigText(JSON.stringify({ stores, connections }), env, 'json'), secret: (shop) => `secret-${shop}` };
}

function signedRequests(secret: (shop: string) => string): autocannon.Request[] {
  const random = seeded(42);
  return Array.from({ length: 2000 }, (_, i) => {
    const shop = SHOPS[i % SHOPS.length]!;
    const lines = 3 + Math.floor(random() * 5);
    const body = draftBody({ id: 1_000_000_000 + i, shop, variantIds: Array.from({ length: lines }, (_, j) => 45_000_000 + ((i * 7 + j) % 5000)) });
    return {
      method: 'POST',
      path: '/webhooks/shopify',
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'draft_orders/update',
        'x-shopify-shop-domain': shop,
        'x-shopify-api-version': '2026-10',
        'x-shopify-webhook-id': `bench-${i}`,
        'x-shopify-hmac-sha256': createHmac('sha256', secret(shop)).update(body).digest('base64'),
      },
    };
  });
}

interface Run {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly failed: number;
}

async function load(name: string, url: string, requests: autocannon.Request[]): Promise<Run> {
  progress(`[bench:ingest] ${name}: ${CONNECTIONS} connections for ${SECONDS} s`);
  // autocannon runs in a worker thread (off the server's thread) and emits no per-second
  // events from there: the elapsed time is the progress; the counts come at the end.
  let second = 0;
  const ticker = setInterval(() => {
    second += 1;
    progress(second <= SECONDS ? `[bench:ingest] ${name}: ${second}/${SECONDS} s` : `[bench:ingest] ${name}: waiting for the last answers`);
  }, 1000);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests, workers: 1 }, (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)));
  }).finally(() => clearInterval(ticker));
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, ok: result['2xx'], failed: result.non2xx + result.errors + result.timeouts };
}

/** The naive design: parse, verify, then one awaited producer.send per request. */
async function startBaseline(config: AppConfig, settings: Settings): Promise<{ url: string; stop: () => Promise<void> }> {
  const infra = benchInfra('baseline', settings);
  const { topics } = infra;
  const producer = await infra.producer();
  const codec = (await infra.codecs()).raw;
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/webhooks/shopify', async (req, reply) => {
    const body = req.body as string;
    const parsed = JSON.parse(body) as { id: number };
    const shop = String(req.headers['x-shopify-shop-domain']);
    const hmac = createHmac('sha256', webhookSecretsFor(config, shop)[0] ?? '').update(body).digest('base64');
    if (hmac !== req.headers['x-shopify-hmac-sha256']) return reply.code(401).send();
    const envelope: RawWebhookEnvelope = {
      id: String(req.headers['x-shopify-webhook-id']), eventId: null, topic: 'draft_orders/update', shop, apiVersion: '2026-10',
      triggeredAt: null, receivedAt: Date.now(), originKind: 'draft', originId: String(parsed.id), source: 'webhook', force: false,
      body: Buffer.from(body), bodyFormat: 'rest',
    };
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: recordKey(shop, 'draft', String(parsed.id)), value: codec.encode(envelope) }] });
    return reply.code(200).send({ status: 'stored' });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, stop: async () => { await app.close(); await infra.close(); } };
}

const stack = await benchStack();
try {
  const { config, secret } = benchConfig();
  const requests = signedRequests(secret);
  const avgBytes = Math.round(requests.reduce((n, r) => n + Buffer.byteLength(String(r.body)), 0) / requests.length);
  progress(`[bench:ingest] ${requests.length} distinct signed webhooks, ${avgBytes} bytes on average, ${SHOPS.length} shops`);
  const prefix = `bench-ingest-${Date.now()}.`;
  const settings = benchSettings(stack, { TOPIC_PREFIX: prefix });
  const baselineSettings = benchSettings(stack, { TOPIC_PREFIX: `${prefix}baseline.` });
  // Topics made before either is measured.
  const admins = [benchInfra('bench', settings), benchInfra('bench', baselineSettings)];
  await Promise.all(admins.map((a) => a.admin()));

  const ingest = await startIngest({
    config,
    infra: settings.infra,
    names: settings.names,
    logger: createLogger('bench-ingest', 'warn'),
    metricsRegistry: new Registry(),
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 1 << 20,
    publishTimeoutMs: 3000,
    lingerMs: Number(process.env.BENCH_LINGER_MS ?? 1),
  });
  const ours = await profiled('ingest', () => load('ingest', ingest.url, requests));
  await ingest.stop();

  const baseline = await startBaseline(config, baselineSettings);
  const naive = await load('baseline (await one send per request)', baseline.url, requests);
  await baseline.stop();

  const admin = await admins[0]!.admin();
  const stored = (await admin.fetchTopicOffsets(topicNames(prefix).raw)).reduce((n, p) => n + Number(p.high), 0);
  await Promise.all(admins.map((a) => a.close()));
  progress(`[bench:ingest] ingest:   ${ours.rps.toFixed(0)} webhooks/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms, ${ours.ok} ok, ${ours.failed} failed, ${stored} records on the raw topic`);
  progress(`[bench:ingest] baseline: ${naive.rps.toFixed(0)} webhooks/s, p50 ${naive.p50} ms, p99 ${naive.p99} ms, ${naive.ok} ok, ${naive.failed} failed`);
  if (stored < ours.ok) throw new Error(`lost records: ${ours.ok} answered 200 but ${stored} on the topic`);
  const ratio = naive.rps > 0 ? ours.rps / naive.rps : 0;
  console.log(JSON.stringify({ bench: 'ingest', metric: 'webhooks_per_s', value: Math.round(ours.rps), p99_ms: ours.p99, p50_ms: ours.p50, baseline: Math.round(naive.rps), baseline_p99_ms: naive.p99, ratio: Number(ratio.toFixed(2)), failed: ours.failed }));
} finally {
  await stack.stop();
}
// The load generator's worker thread can outlive its run and keep the event loop alive; the figures are printed, so end here.
process.exit(process.exitCode ?? 0);
