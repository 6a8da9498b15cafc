// The writer as a separate process, for crash tests, and the configuration such processes share.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TopicNames } from '../../src/shared/kafka/topics.js';
import type { Simulator } from '../../simulator/simulator.js';
import { spawnService, type ChildService } from './child-service.js';
import { infraEnv } from './infra.js';

export type { ChildExit } from './child-service.js';
export type ChildWriter = ChildService;

export const SOURCE = 'mainbrand.myshopify.com';
export const DESTINATION = 'eu-brand.myshopify.com';

export function spawnWriter(env: Record<string, string>): ChildWriter {
  return spawnService('writer', env);
}

export interface WriterProcessEnv {
  readonly env: Record<string, string>;
  /** Removes the configuration file. */
  cleanup(): void;
}

/**
 * A configuration file (connection `eu`: eu-brand → mainbrand, the simulator's mainbrand as the
 * source store) and the environment for writer processes of one group on `topics`.
 */
export function writerProcessEnv(label: string, sim: Simulator, topics: TopicNames, redisPrefix: string): WriterProcessEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  const configPath = path.join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      stores: [
        { shop: SOURCE, adminTokenEnv: 'CHILD_MAIN_TOKEN', webhookSecretEnvs: ['CHILD_SECRET'], adminApiUrl: sim.adminBaseUrl(SOURCE) },
        { shop: DESTINATION, adminTokenEnv: 'CHILD_EU_TOKEN', webhookSecretEnvs: ['CHILD_SECRET'] },
      ],
      connections: [{ id: 'eu', source: SOURCE, destination: DESTINATION }],
    }),
  );
  const { brokers, registryUrl, redisUrl } = infraEnv();
  const prefix = topics.raw.slice(0, -'shopify.webhooks'.length);
  const env = {
    DOS_CONFIG: configPath,
    CHILD_MAIN_TOKEN: sim.store(SOURCE).accessToken,
    CHILD_EU_TOKEN: 'eu-token',
    CHILD_SECRET: 'secret',
    KAFKA_BROKERS: brokers,
    SCHEMA_REGISTRY_URL: registryUrl,
    REDIS_URL: redisUrl,
    TOPIC_PREFIX: prefix,
    WRITER_REDIS_PREFIX: redisPrefix,
    WRITER_GROUP_ID: `${prefix}writer`,
    // A SIGKILLed or stopped member leaves the group only when its session times out.
    WRITER_SESSION_TIMEOUT_MS: '6000',
    // Create intents left by a killed or fenced writer are outwaited for this + 5 s.
    WRITER_SHOPIFY_TIMEOUT_MS: '3000',
    OPS_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  return { env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
