// A real Redis connection for tests, with a unique key prefix and cleanup of only our keys.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export interface TestRedis {
  readonly redis: Redis;
  readonly prefix: string;
  cleanup(): Promise<void>;
}

export async function connectTestRedis(label: string): Promise<TestRedis> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const prefix = `test:writer:${label}:${randomUUID().slice(0, 8)}:`;
  return {
    redis,
    prefix,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
