// Services started against a broker that was started a moment before (issue #16): a brand-new
// broker (no topics, the group coordinator not loaded yet), then the same broker crashed and
// started again while the writer and mapper are already starting against it. Each start goes
// through startOrExit, as in the services' main.ts; each must become ready, none may end in an
// unhandled rejection or give up. A private broker: the shared one is never crashed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMapper, type RunningMapper } from '../../services/mapper/src/mapper.js';
import { startWriter, type RunningWriter } from '../../services/writer/src/writer.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { parseConfigText, type AppConfig } from '../../src/shared/config/index.js';
import { createLogger } from '../../src/shared/log.js';
import { deleteByPrefix } from '../../src/shared/redis.js';
import { startOrExit } from '../../src/shared/startup.js';
import { startKafka, type StartedKafka } from '../../stack/kafka.js';
import { killServer, stopServer } from '../../stack/processes.js';
import { serviceSettings, testRedis, uniqueId } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { topicNames } from '../../src/shared/kafka/topics.js';

const SOURCE = 'mainbrand.myshopify.com';
const DESTINATION = 'eu-brand.myshopify.com';
/** The fresh broker, then three crash-and-start-again rounds: ~40 s on two cores. */
const ROUNDS = 4;

function config(sim: Simulator, token: string): AppConfig {
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: SOURCE, adminTokenEnv: 'MAIN_TOKEN', webhookSecretEnvs: ['S'], adminApiUrl: sim.adminBaseUrl(SOURCE) },
        { shop: DESTINATION, adminTokenEnv: 'EU_TOKEN', webhookSecretEnvs: ['S'] },
      ],
      connections: [{ id: 'eu', source: SOURCE, destination: DESTINATION }],
    }),
    { MAIN_TOKEN: token, EU_TOKEN: 'eu-token', S: 'secret' },
    'json',
  );
}

describe('services started against a broker started a moment before', () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'draft-order-sync-fresh-broker-'));
  const redisPrefix = `${uniqueId('fresh-broker')}:`;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  let sim: Simulator;
  let broker: StartedKafka | undefined;

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    sim = await startSimulator({ stores: [{ shop: SOURCE, currency: 'EUR' }] });
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    if (broker) await stopServer(broker.process);
    rmSync(runDir, { recursive: true, force: true });
    await sim?.close();
    const redis = testRedis();
    await deleteByPrefix(redis, redisPrefix);
    redis.disconnect();
  });

  it('each time, the writer and the mapper become ready without an unhandled rejection', { timeout: 120_000 }, async () => {
    const logger = createLogger('fresh-broker', process.env.TEST_LOG_LEVEL ?? 'silent');
    const token = sim.store(SOURCE).accessToken;
    broker = await startKafka(runDir);
    for (let round = 0; round < ROUNDS; round++) {
      // Round 0: the broker just formatted and started. Later rounds: crashed, and started again
      // without waiting — the services start while it is still loading.
      let back: Promise<StartedKafka> | null = null;
      if (round > 0) {
        await killServer(broker.process);
        back = broker.relaunch();
      }
      const topics = topicNames(`${uniqueId(`fresh-${round}`)}.`);
      const env = { KAFKA_BROKERS: broker.brokers, REDIS_KEY_PREFIX: `${redisPrefix}${round}:`, WRITER_REDIS_PREFIX: `${redisPrefix}${round}:writer:` };
      // A start that gives up is a failure of this test, not an exit of the test process.
      const exit = (code: number): never => {
        throw new Error(`round ${round}: a service gave up starting (exit ${code})`);
      };
      let writer: RunningWriter | undefined;
      let mapper: RunningMapper | undefined;
      try {
        [writer, mapper] = await Promise.all([
          startOrExit(logger, 'writer', () => startWriter({ config: config(sim, token), ...serviceSettings(topics, env), logger, metricsRegistry: new Registry(), opsPort: 0 }), { exit, deadlineMs: 60_000 }),
          startOrExit(logger, 'mapper', () => startMapper({ config: config(sim, token), ...serviceSettings(topics, env), logger, metricsRegistry: new Registry(), opsPort: 0, workers: 1 }), { exit, deadlineMs: 60_000 }),
        ]);
        const [w, m] = [writer, mapper];
        await waitFor(`round ${round}: writer and mapper ready`, async () => (await w.ready()) && (await m.ready()), { timeoutMs: 30_000, intervalMs: 100 });
      } finally {
        await Promise.all([writer?.stop(), mapper?.stop()]);
      }
      if (back) broker = await back;
    }
    expect(rejections).toEqual([]);
  });
});
