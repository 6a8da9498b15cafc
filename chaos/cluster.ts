// The run's own Kafka and Redis, so the broker and Redis faults never touch servers others use
// (the shared stack's broker, the machine's Redis on 6379). The schema registry is the shared one:
// no fault targets it. Each node can be crashed (SIGKILL) and started again on its port and data.
// One broker and one Redis, or N brokers (RF 3, min ISR 2) and a Redis Cluster of three masters.
// Every pid is recorded in `.stack/runs/` as it is spawned: `stack down` stops what a dead run left.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registryAnswers, startApicurio } from '../stack/apicurio.js';
import { startKafkaCluster, type StartedKafka } from '../stack/kafka.js';
import { killServer, stopServer, waitUntil } from '../stack/processes.js';
import { clusterStateOk, startRedis, startRedisCluster, type StartedRedis } from '../stack/redis.js';
import { RunRecord } from '../stack/stack.js';

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
  /** Records a process of the run (a service) with its servers, for `stack down` if the run dies. */
  track(pid: number, marker: string): void;
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
  const record = new RunRecord(runDir);
  const started: ClusterNode[] = [];
  try {
    const registry = registryUp(opts.registryUrl, runDir, started, record);
    const redis = opts.redisCluster ? startRedisCluster(runDir, 3, (p) => record.add('redis', p)) : startRedis(runDir, { persistent: true, onSpawn: (p) => record.add('redis', p) });
    const kafka = startKafkaCluster(runDir, opts.kafkaBrokers, (p) => record.add('kafka', p));
    const settled = await Promise.allSettled([kafka, redis, registry]);
    // Whatever started is stopped below if another part failed.
    if (settled[0].status === 'fulfilled') started.push(...settled[0].value.nodes.map((n, i) => kafkaNode(`broker-${i + 1}`, n)));
    if (settled[1].status === 'fulfilled') {
      const r = settled[1].value;
      started.push(...('masters' in r ? r.masters.map((m, i) => redisServerNode(`redis-${i + 1}`, m, true)) : [redisServerNode('redis-1', r, false)]));
    }
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    const [k, r, registryUrl] = [await kafka, await redis, await registry];
    const brokers = started.filter((n) => n.name.startsWith('broker-'));
    const redisNodes = started.filter((n) => n.name.startsWith('redis-'));
    const replicated = opts.kafkaBrokers >= 3;
    return {
      env: {
        KAFKA_BROKERS: k.brokers,
        REDIS_URL: r.url,
        SCHEMA_REGISTRY_URL: registryUrl,
        ...('masters' in r ? { REDIS_CLUSTER_NODES: r.nodes } : {}),
        // The broker's default is 3 as well; said explicitly, as a deployment would.
        ...(replicated ? { TOPIC_REPLICATION_FACTOR: '3' } : {}),
      },
      brokers,
      redisNodes,
      description:
        `${opts.kafkaBrokers} broker(s) (${k.brokers}${replicated ? '; RF 3, min.insync.replicas 2' : ''}), ` +
        ('masters' in r ? `Redis Cluster of 3 masters ${r.nodes} (no replicas, full coverage not required, append-only, fsync always)` : `Redis ${r.url} (append-only, fsync always)`),
      track: (pid, marker) => record.add('service', { pid, marker }),
      stop: () => stopAll(started, runDir, record),
    };
  } catch (error) {
    await stopAll(started, runDir, record);
    throw error;
  }
}

async function registryUp(url: string | undefined, runDir: string, started: ClusterNode[], record: RunRecord): Promise<string> {
  if (url && (await registryAnswers(url).catch(() => false))) return url;
  const registry = await startApicurio(runDir);
  record.add('registry', registry.process);
  started.push({ name: 'registry', crash: () => killServer(registry.process), restart: () => Promise.reject(new Error('the registry is not restarted')), stop: () => stopServer(registry.process) });
  return registry.url;
}

async function stopAll(nodes: readonly ClusterNode[], runDir: string, record: RunRecord): Promise<void> {
  await Promise.all(nodes.map((n) => n.stop()));
  rmSync(runDir, { recursive: true, force: true });
  record.remove();
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

export function redisServerNode(name: string, first: StartedRedis, clusterMode: boolean): ClusterNode {
  let current = first;
  return {
    name,
    crash: () => killServer(current.process),
    async restart() {
      current = await current.relaunch();
      // A master back on its nodes.conf answers PING before the cluster has it again.
      if (clusterMode) await waitUntil(`${name} back in the cluster`, () => clusterStateOk(current.port), { timeoutMs: 30_000 });
    },
    stop: () => stopServer(current.process),
  };
}
