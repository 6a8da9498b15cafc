// The run's own Kafka and Redis, so the broker and Redis faults never touch servers others use
// (the shared stack's broker, the machine's Redis on 6379). The schema registry is the shared one:
// no fault targets it. Each node can be crashed (SIGKILL) and started again on its port and data.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registryAnswers, startApicurio } from '../stack/apicurio.js';
import { startKafka, type StartedKafka } from '../stack/kafka.js';
import { killServer, stopServer } from '../stack/processes.js';
import { startRedis, type StartedRedis } from '../stack/redis.js';

export interface ClusterNode {
  readonly name: string;
  /** SIGKILL, like a crash. */
  crash(): Promise<void>;
  /** Starts it again (same port, same data) and waits until it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChaosCluster {
  /** KAFKA_BROKERS, REDIS_URL (or REDIS_CLUSTER_NODES) for the services. */
  readonly env: Record<string, string>;
  readonly brokers: readonly ClusterNode[];
  readonly redisNodes: readonly ClusterNode[];
  readonly description: string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  readonly kafkaBrokers: number;
  readonly redisCluster: boolean;
  /** A running registry (the shared stack's); one is started for the run when it does not answer. */
  readonly registryUrl: string | undefined;
}

export async function startCluster(opts: ClusterOptions): Promise<ChaosCluster> {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'draft-order-sync-chaos-'));
  const started: ClusterNode[] = [];
  try {
    if (opts.kafkaBrokers !== 1 || opts.redisCluster) throw new Error('multi-node chaos clusters: see startClusterNodes');
    const registry = registryUp(opts.registryUrl, runDir, started);
    const [kafka, redis, registryUrl] = await Promise.all([startKafka(runDir), startRedis(runDir, { persistent: true }), registry]);
    const broker = kafkaNode('broker-1', kafka);
    const redisNode = redisServerNode('redis-1', redis);
    started.push(broker, redisNode);
    return {
      env: { KAFKA_BROKERS: kafka.brokers, REDIS_URL: redis.url, SCHEMA_REGISTRY_URL: registryUrl },
      brokers: [broker],
      redisNodes: [redisNode],
      description: `1 broker (${kafka.brokers}), Redis ${redis.url} (append-only, fsync always)`,
      stop: () => stopAll(started, runDir),
    };
  } catch (error) {
    await stopAll(started, runDir);
    throw error;
  }
}

async function registryUp(url: string | undefined, runDir: string, started: ClusterNode[]): Promise<string> {
  if (url && (await registryAnswers(url).catch(() => false))) return url;
  const registry = await startApicurio(runDir);
  started.push({ name: 'registry', crash: () => killServer(registry.process), restart: () => Promise.reject(new Error('the registry is not restarted')), stop: () => stopServer(registry.process) });
  return registry.url;
}

async function stopAll(nodes: readonly ClusterNode[], runDir: string): Promise<void> {
  await Promise.all(nodes.map((n) => n.stop()));
  rmSync(runDir, { recursive: true, force: true });
}

export function kafkaNode(name: string, first: StartedKafka): ClusterNode {
  let current = first;
  return {
    name,
    crash: () => killServer(current.process),
    async restart() {
      current = await current.relaunch();
    },
    stop: () => stopServer(current.process),
  };
}

export function redisServerNode(name: string, first: StartedRedis): ClusterNode {
  let current = first;
  return {
    name,
    crash: () => killServer(current.process),
    async restart() {
      current = await current.relaunch();
    },
    stop: () => stopServer(current.process),
  };
}
