// The mapper's settings from the environment (main.ts, npm run services).
import type { Env } from '../../../src/shared/config/index.js';
import { optionalNumber } from '../../../src/shared/env.js';
import type { MapperOptions } from './mapper.js';

export function mapperEnvOptions(env: Env): Omit<MapperOptions, 'config' | 'infra' | 'logger' | 'metricsRegistry' | 'lookup' | 'workerEntry'> {
  return {
    opsHost: env.OPS_HOST ?? '127.0.0.1',
    opsPort: Number(env.OPS_PORT ?? 8081),
    groupId: env.MAPPER_GROUP_ID,
    transactionalId: env.MAPPER_TRANSACTIONAL_ID,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    partitionsConsumedConcurrently: optionalNumber(env, 'MAPPER_CONCURRENCY'),
    sessionTimeoutMs: optionalNumber(env, 'MAPPER_SESSION_TIMEOUT_MS'),
    maxBytesPerPartition: optionalNumber(env, 'MAPPER_MAX_BYTES_PER_PARTITION'),
    workers: optionalNumber(env, 'MAPPER_WORKERS'),
  };
}
