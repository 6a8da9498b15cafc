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
