// Ingest against the real broker and registry: what reaches the raw topic, and what never does.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getHmac } from '@shopify/shopify-api/test-helpers';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { startKafka, type StartedKafka } from '../../../stack/kafka.js';
import { stopServer } from '../../../stack/processes.js';
import type { RawWebhookEnvelope } from '../../../src/contracts/raw-envelope.js';
import { parseConfigText, type AppConfig } from '../../../src/shared/config/index.js';
import { topicNames, type TopicNames } from '../../../src/shared/kafka/topics.js';
import { createLogger } from '../../../src/shared/log.js';
import { readTopic, serviceSettings, testKafka, testRegistry, topicSize, uniqueId } from '../../../test/support/infra.js';
import { startIngest, type RunningIngest } from './ingest.js';

const SHOP = 'eu-brand.myshopify.com';
const SECRET = 'eu-secret-current';
const OLD_SECRET = 'eu-secret-previous';
const env = { EU_TOKEN: 't', EU_SECRET: SECRET, EU_SECRET_OLD: OLD_SECRET, MAIN_TOKEN: 't', MAIN_SECRET: 'main-secret' };

function testConfig(): AppConfig {
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: 'mainbrand.myshopify.com', adminTokenEnv: 'MAIN_TOKEN', webhookSecretEnvs: ['MAIN_SECRET'] },
        { shop: SHOP, adminTokenEnv: 'EU_TOKEN', webhookSecretEnvs: ['EU_SECRET', 'EU_SECRET_OLD'] },
      ],
      connections: [{ id: 'eu', source: 'mainbrand.myshopify.com', destination: SHOP }],
    }),
    env,
    'json',
  );
}

function draftBody(id: string, extra = ''): string {
  return `{"id":${id},"name":"#D7","status":"open","note":"café ☕"${extra},"line_items":[{"id":1,"variant_id":2,"quantity":1}]}`;
}

interface Hook {
  body: string | Buffer;
  topic?: string;
  shop?: string;
  secret?: string;
  hmac?: string;
  omit?: string[];
  contentType?: string;
  method?: string;
}

let webhookCounter = 0;
async function send(baseUrl: string, hook: Hook): Promise<Response> {
  const body = Buffer.isBuffer(hook.body) ? hook.body : Buffer.from(hook.body);
  const headers: Record<string, string> = {
    'content-type': hook.contentType ?? 'application/json',
    'x-shopify-topic': hook.topic ?? 'draft_orders/update',
    'x-shopify-shop-domain': hook.shop ?? SHOP,
    'x-shopify-api-version': '2026-10',
    'x-shopify-webhook-id': `wh-${++webhookCounter}-${uniqueId('w')}`,
    'x-shopify-event-id': `ev-${webhookCounter}`,
    'x-shopify-triggered-at': '2026-11-29T10:00:00.000Z',
    'x-shopify-hmac-sha256': hook.hmac ?? getHmac(body.toString('utf8'), hook.secret ?? SECRET),
  };
  for (const h of hook.omit ?? []) delete headers[h];
  return fetch(`${baseUrl}/webhooks/shopify`, { method: hook.method ?? 'POST', headers, body: hook.method === 'GET' || hook.method === 'OPTIONS' ? undefined : body });
}


async function start(topics: TopicNames, brokers?: string, publishTimeoutMs = 3000): Promise<RunningIngest> {
  return startIngest({
    config: testConfig(),
    ...serviceSettings(topics, brokers ? { KAFKA_BROKERS: brokers } : {}),
    logger: createLogger('ingest-test', 'silent'),
    metricsRegistry: new Registry(),
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 64 * 1024,
    publishTimeoutMs,
  });
}

describe('ingest', () => {
  let kafka: Kafka;
  let topics: TopicNames;
  let ingest: RunningIngest;
  const registry = testRegistry();

  beforeAll(async () => {
    kafka = testKafka('ingest-test');
    topics = topicNames(`${uniqueId('ingest')}.`);
    ingest = await start(topics);
  });
  afterAll(async () => {
    await ingest.stop();
  });

  it('puts a valid webhook on the raw topic once, keyed by origin, with the untouched body', async () => {
    const id = '1152921504606846976';
    const body = draftBody(id);
    const res = await send(ingest.url, { body });
    expect(res.status).toBe(200);
    const records = await readTopic(kafka, topics.raw, (r) => r.length >= 1);
    expect(records).toHaveLength(1);
    expect(records[0]!.key).toBe(`${SHOP}/draft/${id}`);
    const envelope = (await registry.decode(records[0]!.value!)) as RawWebhookEnvelope;
    expect(envelope).toMatchObject({
      topic: 'draft_orders/update',
      shop: SHOP,
      apiVersion: '2026-10',
      eventId: 'ev-' + webhookCounter,
      triggeredAt: '2026-11-29T10:00:00.000Z',
      originKind: 'draft',
      originId: id,
      source: 'webhook',
      force: false,
      bodyFormat: 'rest',
    });
    expect(envelope.id).toMatch(/^wh-/);
    expect(Math.abs(Number(envelope.receivedAt) - Date.now())).toBeLessThan(60_000);
    expect(Buffer.compare(Buffer.from(envelope.body), Buffer.from(body))).toBe(0);
  });

  it('answers each bad request with its status and puts nothing on any topic', async () => {
    const local = topicNames(`${uniqueId('ingest-bad')}.`);
    const svc = await start(local);
    try {
      const body = draftBody('55');
      const cases: [string, Hook, number][] = [
        ['forged HMAC', { body, hmac: Buffer.alloc(32, 7).toString('base64') }, 401],
        ['wrong secret', { body, secret: 'not-the-secret' }, 401],
        ['another shop’s secret', { body, secret: 'main-secret' }, 401],
        ['body changed by one byte', { body: draftBody('56'), hmac: getHmac(body, SECRET) }, 401],
        ['unknown shop', { body, shop: 'stranger.myshopify.com' }, 401],
        ['missing HMAC', { body, omit: ['x-shopify-hmac-sha256'] }, 400],
        ['missing topic', { body, omit: ['x-shopify-topic'] }, 400],
        ['missing shop', { body, omit: ['x-shopify-shop-domain'] }, 400],
        ['missing webhook id', { body, omit: ['x-shopify-webhook-id'] }, 400],
        ['missing API version', { body, omit: ['x-shopify-api-version'] }, 400],
        ['empty body', { body: '' }, 400],
        ['oversized body', { body: draftBody('57', `,"pad":"${'x'.repeat(70 * 1024)}"`) }, 413],
        ['wrong content type', { body, contentType: 'text/plain' }, 415],
        ['wrong method', { body, method: 'GET' }, 405],
        ['OPTIONS', { body, method: 'OPTIONS' }, 405],
        ['PUT', { body, method: 'PUT' }, 405],
      ];
      for (const [name, hook, status] of cases) {
        const res = await send(svc.url, hook);
        expect(res.status, name).toBe(status);
      }
      // Verified but not a topic we handle: acknowledged so Shopify keeps the subscription.
      expect((await send(svc.url, { body, topic: 'customers/update' })).status).toBe(200);
      expect(await topicSize(kafka, local.raw)).toBe(0);
      expect(await topicSize(kafka, local.dlq)).toBe(0);
      const metrics = await (await fetch(`${svc.url}/metrics`)).text();
      expect(metrics).toMatch(/ingest_webhooks_total\{outcome="unhandled_topic",topic="customers\/update"[^}]*\} 1/);
      expect(metrics).toMatch(/ingest_webhooks_total\{outcome="unauthorized"/);
    } finally {
      await svc.stop();
    }
  });

  it('accepts the previous secret during a rotation', async () => {
    const local = topicNames(`${uniqueId('ingest-rot')}.`);
    const svc = await start(local);
    try {
      expect((await send(svc.url, { body: draftBody('61'), secret: OLD_SECRET })).status).toBe(200);
      expect((await send(svc.url, { body: draftBody('62'), secret: SECRET })).status).toBe(200);
      expect(await topicSize(kafka, local.raw)).toBe(2);
    } finally {
      await svc.stop();
    }
  });

  it('keeps a verified but unkeyable body on the DLQ with the reason, not on the raw topic', async () => {
    const local = topicNames(`${uniqueId('ingest-dlq')}.`);
    const svc = await start(local);
    try {
      const res = await send(svc.url, { body: '{"no_id":true}' });
      expect(res.status).toBe(200);
      const dlq = await readTopic(kafka, local.dlq, (r) => r.length >= 1);
      const letter = (await registry.decode(dlq[0]!.value!)) as { stage: string; reason: string; payload: Buffer };
      expect(letter.stage).toBe('ingest');
      expect(letter.reason).toContain('body.id');
      expect(Buffer.from(letter.payload).toString()).toBe('{"no_id":true}');
      expect(await topicSize(kafka, local.raw)).toBe(0);
    } finally {
      await svc.stop();
    }
  });

  it('turns N concurrent webhooks into exactly N records, sharing produce batches', async () => {
    const local = topicNames(`${uniqueId('ingest-conc')}.`);
    const svc = await start(local);
    try {
      const n = 300;
      const ids = Array.from({ length: n }, (_, i) => String(9_000_000 + i));
      const statuses = await Promise.all(ids.map((id) => send(svc.url, { body: draftBody(id) }).then((r) => r.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      const records = await readTopic(kafka, local.raw, (r) => r.length >= n);
      expect(records).toHaveLength(n);
      expect(new Set(records.map((r) => r.key)).size).toBe(n);
      const metrics = await (await fetch(`${svc.url}/metrics`)).text();
      const batches = Number(/ingest_produce_batch_size_count(?:\{[^}]*\})? (\d+)/.exec(metrics)?.[1]);
      expect(batches).toBeLessThan(n);
    } finally {
      await svc.stop();
    }
  });
});

describe('ingest while Kafka is down', () => {
  let runDir: string;
  let broker: StartedKafka;

  beforeAll(async () => {
    runDir = mkdtempSync(path.join(os.tmpdir(), 'ingest-kafka-down-'));
    broker = await startKafka(runDir);
  }, 120_000);
  afterAll(async () => {
    await stopServer(broker.process);
    rmSync(runDir, { recursive: true, force: true });
  });

  it('answers 503 (never 200 without a record) while Kafka is stopped, and 200 again once it is back', { timeout: 180_000 }, async () => {
    const topics = topicNames(`${uniqueId('ingest-down')}.`);
    const svc = await start(topics, broker.brokers, 2000);
    const own = testKafka('down-test', { KAFKA_BROKERS: broker.brokers });
    try {
      expect((await send(svc.url, { body: draftBody('71') })).status).toBe(200);
      expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);

      await stopServer(broker.process);
      const during: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        during.push((await send(svc.url, { body: draftBody(String(80 + i)) })).status);
        expect(Date.now() - started).toBeLessThan(5000); // inside Shopify's window
      }
      expect(during.every((s) => s === 503)).toBe(true);
      expect((await fetch(`${svc.url}/readyz`)).status).toBe(503);

      broker = await broker.relaunch();
      let status = 0;
      const deadline = Date.now() + 60_000;
      while (status !== 200 && Date.now() < deadline) status = (await send(svc.url, { body: draftBody('99') })).status;
      expect(status).toBe(200);

      // Every 200 has its record: 71 and 99 at least; a 503'd webhook may also have landed (Shopify retries it; the writer dedupes).
      const records = await readTopic(own, topics.raw, (r) => r.some((x) => x.key?.endsWith('/99')));
      const keys = new Set(records.map((r) => r.key));
      expect(keys.has(`${SHOP}/draft/71`)).toBe(true);
      expect(keys.has(`${SHOP}/draft/99`)).toBe(true);
    } finally {
      await svc.stop();
    }
  });
});
