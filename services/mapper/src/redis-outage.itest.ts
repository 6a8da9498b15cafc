// Redis goes away under the mapper: batches fail and are redone (readiness false meanwhile),
// nothing is committed without its output, and the record flows once Redis is back.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { DEFAULT_MAPPING_PREFIX } from '../../../src/shared/config/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { freePort } from '../../../stack/processes.js';
import { RedisMappingStore } from '../../../src/variant-mappings/index.js';
import type { TopicNames } from '../../../src/shared/kafka/topics.js';
import { createLogger } from '../../../src/shared/log.js';
import { freshTopics, testKafka, testRegistry, uniqueId, serviceSettings } from '../../../test/support/infra.js';
import { waitFor } from '../../../test/support/wait.js';
import { CONNECTION_OF, envelopeOf, mapperTestConfig, RawFeeder, readMapped, SHOPS } from '../../../test/support/mapper-harness.js';
import { startMapper, type RunningMapper } from './mapper.js';

const DRAFT = (id: string): string =>
  JSON.stringify({ id: Number(id), name: '#D9', status: 'open', updated_at: '2026-11-29T10:00:00Z', line_items: [{ variant_id: 101, title: 'Tee', quantity: 1, price: '9.00' }] });

/**
 * A private redis-server this test may kill. It loads its snapshot from `dir` before it answers,
 * so once restarted it holds the mappings again from its first reply, as a persistent Redis would
 * (seeding after the restart would race the mapper's retries into an "unmapped" outcome).
 */
function startRedisServer(port: number, dir: string): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--appendonly', 'no'];
  return spawn('redis-server', args, { stdio: 'ignore' });
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('mapper while Redis is down', () => {
  let kafka: Kafka;
  let topics: TopicNames;
  let port: number;
  let dataDir: string;
  let server: ChildProcess | undefined;
  let mapper: RunningMapper | undefined;
  let feeder: RawFeeder | undefined;

  /** Runs `use` on a connection to the private Redis once it answers. */
  const withPrivateRedis = async (what: string, use: (redis: Redis) => Promise<void>): Promise<void> => {
    await waitFor(what, async () => {
      const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined); // refused while it starts: waitFor retries
      try {
        await probe.connect();
        await use(probe);
        return true;
      } finally {
        probe.disconnect();
      }
    });
  };

  beforeAll(async () => {
    kafka = testKafka('mapper-redis-outage');
    topics = await freshTopics(kafka, 'mapper-redis');
    port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'mapper-redis-outage-'));
    server = startRedisServer(port, dataDir);
    await withPrivateRedis('private redis seeded and saved', async (redis) => {
      await new RedisMappingStore(redis, { prefix: DEFAULT_MAPPING_PREFIX }).set(CONNECTION_OF.eu, '101', '9101');
      await redis.save();
    });
    mapper = await startMapper({
      config: mapperTestConfig(),
      ...serviceSettings(topics, { REDIS_URL: `redis://127.0.0.1:${port}`, MAPPER_GROUP_ID: uniqueId('mapper-redis') }),
      logger: createLogger('mapper-redis-outage', process.env.TEST_LOG_LEVEL ?? 'silent'),
      metricsRegistry: new Registry(),
      opsPort: 0,
      sessionTimeoutMs: 10_000,
    });
    feeder = await RawFeeder.start(kafka, testRegistry(), topics);
  });

  afterAll(async () => {
    await mapper?.stop();
    await feeder?.stop();
    await stopProcess(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('redoes the batch until Redis is back, then commits the record exactly once', async () => {
    const registry = testRegistry();
    const ready = async (): Promise<number> => (await fetch(`${mapper!.opsUrl}/readyz`)).status;
    await feeder!.send(envelopeOf({ topic: 'draft_orders/create', shop: SHOPS.eu, originId: '71', body: DRAFT('71') }));
    await readMapped(kafka, registry, topics.mapped, (r) => r.some((x) => x.value.origin.id === '71'));
    await waitFor('ready', async () => (await ready()) === 200);

    await stopProcess(server);
    await feeder!.send(envelopeOf({ topic: 'draft_orders/update', shop: SHOPS.eu, originId: '72', body: DRAFT('72') }));
    await waitFor('not ready while Redis is down', async () => (await ready()) === 503);
    // Readiness pings Redis itself, so it can turn 503 before the batch has failed: wait for that too.
    const redone = async (): Promise<boolean> => /mapper_batch_retries_total\{stage="process"\} [1-9]/.test(await (await fetch(`${mapper!.opsUrl}/metrics`)).text());
    await waitFor('the batch redone while Redis is down', redone);

    server = startRedisServer(port, dataDir);
    await withPrivateRedis('private redis back with its mappings', async (redis) => {
      expect(await new RedisMappingStore(redis, { prefix: DEFAULT_MAPPING_PREFIX }).get(CONNECTION_OF.eu, '101')).toBe('9101');
    });
    const records = await readMapped(kafka, registry, topics.mapped, (r) => r.some((x) => x.value.origin.id === '72'));
    await waitFor('ready again', async () => (await ready()) === 200);
    expect(records.filter((r) => r.value.origin.id === '72').map((r) => r.value.action)).toEqual(['UPSERT']);
    expect(records.find((r) => r.value.origin.id === '72')!.value.draft!.lines).toEqual([
      expect.objectContaining({ kind: 'variant', sourceVariantId: 'gid://shopify/ProductVariant/9101' }),
    ]);
  });
});
