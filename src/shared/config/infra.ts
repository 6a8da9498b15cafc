// Infrastructure endpoints come from the environment only; none has a default, so a
// service never silently talks to the wrong cluster.
import { ConfigError } from './errors.js';
import type { Env } from './load.js';

export interface InfraSettings {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly redisUrl: string;
  /** Prepended to every topic name (e.g. `test-42.`); empty by default. */
  readonly topicPrefix: string;
}

export type InfraNeed = 'kafka' | 'schemaRegistry' | 'redis';

export const INFRA_ENV = {
  kafka: 'KAFKA_BROKERS',
  schemaRegistry: 'SCHEMA_REGISTRY_URL',
  redis: 'REDIS_URL',
  topicPrefix: 'TOPIC_PREFIX',
} as const;

/**
 * Reads the endpoints a service needs; unneeded ones may be absent (returned empty).
 * KAFKA_BROKERS is comma-separated host:port.
 */
export function loadInfraSettings(
  env: Env = process.env,
  needs: readonly InfraNeed[] = ['kafka', 'schemaRegistry', 'redis'],
): InfraSettings {
  const problems: string[] = [];
  const read = (need: InfraNeed): string => {
    const name = INFRA_ENV[need];
    const value = env[name]?.trim() ?? '';
    if (value === '' && needs.includes(need)) problems.push(`env ${name}: required`);
    return value;
  };
  const brokersText = read('kafka');
  const schemaRegistryUrl = read('schemaRegistry');
  const redisUrl = read('redis');
  const kafkaBrokers = brokersText === '' ? [] : brokersText.split(',').map((b) => b.trim()).filter((b) => b !== '');
  for (const broker of kafkaBrokers) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(broker)) problems.push(`env ${INFRA_ENV.kafka}: ${broker}: expected host:port`);
  }
  if (schemaRegistryUrl !== '' && !/^https?:\/\//.test(schemaRegistryUrl)) {
    problems.push(`env ${INFRA_ENV.schemaRegistry}: expected an http(s) URL`);
  }
  // The Redis URL may carry a password: report only that it is malformed.
  if (redisUrl !== '' && !/^rediss?:\/\//.test(redisUrl)) problems.push(`env ${INFRA_ENV.redis}: expected a redis:// or rediss:// URL`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { kafkaBrokers, schemaRegistryUrl, redisUrl, topicPrefix: env[INFRA_ENV.topicPrefix]?.trim() ?? '' };
}
