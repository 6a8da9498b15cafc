// Redis client: a single node by URL, or a cluster when REDIS_CLUSTER_NODES lists seed nodes.
import { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisOptions {
  /** Fail commands fast while Redis is down instead of queueing them forever. */
  readonly maxRetriesPerRequest?: number;
}

export function createRedis(url: string, opts: RedisOptions = {}): RedisClient {
  const common = { maxRetriesPerRequest: opts.maxRetriesPerRequest ?? 2, enableAutoPipelining: true };
  const clusterNodes = process.env.REDIS_CLUSTER_NODES;
  if (clusterNodes) {
    const nodes = clusterNodes.split(',').map((hp) => {
      const [host, port] = hp.trim().split(':');
      return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) };
    });
    return new Cluster(nodes, { redisOptions: common });
  }
  return new Redis(url, common);
}

/** True when Redis answers PING within `ms` (readiness probes must not hang on a dead server). */
export async function redisAnswersWithin(redis: RedisClient, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const ping = redis.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  return Promise.race([ping, timeout]).finally(() => clearTimeout(timer));
}

/** Deletes every key under a prefix, in SCAN pages (tests and the demo share one Redis). */
export async function deleteByPrefix(redis: RedisClient, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
