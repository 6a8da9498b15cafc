// Redis client: a single node by URL, or a cluster when seed nodes are given (REDIS_CLUSTER_NODES).
import { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisOptions {
  /** `host:port` seeds of a Redis Cluster; empty: the single node at the URL. */
  readonly clusterNodes?: readonly string[];
  /** Fail commands fast while Redis is down instead of queueing them forever. */
  readonly maxRetriesPerRequest?: number;
}

/** Only the bootstrap (src/shared/infra.ts) calls this. */
export function createRedis(url: string, opts: RedisOptions = {}): RedisClient {
  const common = { maxRetriesPerRequest: opts.maxRetriesPerRequest ?? 2, enableAutoPipelining: true };
  if (opts.clusterNodes && opts.clusterNodes.length > 0) {
    const nodes = opts.clusterNodes.map((hp) => {
      const [host, port] = hp.split(':');
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
