// The status page's settings from the environment (main.ts, npm run services).
import type { Env } from '../../../src/shared/config/index.js';
import type { StatusOptions } from './status.js';

export function statusEnvOptions(env: Env): Omit<StatusOptions, 'config' | 'infra' | 'logger' | 'metricsRegistry' | 'pollIntervalMs'> {
  return {
    host: env.STATUS_HOST ?? '127.0.0.1',
    port: Number(env.STATUS_PORT ?? 8090),
    token: env.STATUS_TOKEN,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    mapperGroupId: env.MAPPER_GROUP_ID,
    writerGroupId: env.WRITER_GROUP_ID,
    opsRedisPrefix: env.OPS_REDIS_PREFIX,
  };
}
