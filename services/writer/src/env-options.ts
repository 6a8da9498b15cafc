// The writer's settings from the environment (main.ts, npm run services).
import type { Env } from '../../../src/shared/config/index.js';
import { optionalNumber } from '../../../src/shared/env.js';
import type { WriterOptions } from './writer.js';

export function writerEnvOptions(
  env: Env,
): Pick<
  WriterOptions,
  | 'opsHost'
  | 'opsPort'
  | 'groupId'
  | 'redisKeyPrefix'
  | 'partitionsConsumedConcurrently'
  | 'keyConcurrency'
  | 'maxOutstandingPerPartition'
  | 'sessionTimeoutMs'
  | 'shutdownGraceMs'
> {
  return {
    opsHost: env.OPS_HOST ?? '127.0.0.1',
    opsPort: Number(env.OPS_PORT ?? 8082),
    groupId: env.WRITER_GROUP_ID,
    redisKeyPrefix: env.WRITER_REDIS_PREFIX,
    partitionsConsumedConcurrently: optionalNumber(env, 'WRITER_PARTITION_CONCURRENCY'),
    keyConcurrency: optionalNumber(env, 'WRITER_KEY_CONCURRENCY'),
    maxOutstandingPerPartition: optionalNumber(env, 'WRITER_MAX_OUTSTANDING_PER_PARTITION'),
    sessionTimeoutMs: optionalNumber(env, 'WRITER_SESSION_TIMEOUT_MS'),
    shutdownGraceMs: optionalNumber(env, 'WRITER_SHUTDOWN_GRACE_MS'),
  };
}
