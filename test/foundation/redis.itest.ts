// ioredis against the real Redis: the pipelined batch lookups the mapper and writer rely on.
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, testRedis, uniqueId } from '../support/infra.js';

const redis = testRedis();
const prefix = `${uniqueId('test:foundation')}:`;

afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('redis', () => {
  it('answers a pipeline of many commands in one round trip', async () => {
    const write = redis.pipeline();
    for (let i = 0; i < 100; i++) write.hset(`${prefix}h`, `f${i}`, `v${i}`);
    await write.exec();
    const read = redis.pipeline();
    read.hmget(`${prefix}h`, 'f1', 'f50', 'missing');
    read.hlen(`${prefix}h`);
    const results = await read.exec();
    expect(results).toEqual([
      [null, ['v1', 'v50', null]],
      [null, 100],
    ]);
  });
});
