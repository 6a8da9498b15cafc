// A real Redis connection for tests (from the bootstrap), with a unique key prefix and cleanup
// of only our keys.
import { randomUUID } from 'node:crypto';
import { deleteByPrefix, type RedisClient } from '../../src/shared/redis.js';
import { testRedis } from './infra.js';

export interface TestRedis {
  readonly redis: RedisClient;
  readonly prefix: string;
  cleanup(): Promise<void>;
}

export async function connectTestRedis(label: string): Promise<TestRedis> {
  const redis = testRedis();
  await redis.ping();
  const prefix = `test:writer:${label}:${randomUUID().slice(0, 8)}:`;
  return {
    redis,
    prefix,
    async cleanup() {
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
