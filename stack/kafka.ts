// Apache Kafka (KRaft) on 127.0.0.1 from the Maven Central classpath: one combined node by
// default, or a cluster of N combined broker+controller nodes (static voters).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { findJava } from './java.js';
import { kafkaLibs } from './maven.js';
import { freePort, isRunning, spawnServer, stopServer, waitUntil, type SpawnedProcess } from './processes.js';

export interface StartedKafka {
  readonly brokers: string;
  readonly process: SpawnedProcess;
  /** Starts the same broker again (same port, same data) after it was stopped: for failure tests. */
  relaunch(): Promise<StartedKafka>;
}

export interface StartedKafkaCluster {
  /** Every node's address, comma-separated (KAFKA_BROKERS). */
  readonly brokers: string;
  readonly nodes: readonly StartedKafka[];
}

interface NodeSpec {
  readonly nodeId: number;
  readonly port: number;
  readonly controllerPort: number;
}

/** Replication of internal topics and the defaults of ours: 1 on one node; on 3+, RF 3 with min ISR 2 (one node may fail). */
function replicationProperties(nodes: number): string[] {
  const rf = nodes >= 3 ? 3 : 1;
  const minIsr = nodes >= 3 ? 2 : 1;
  return [
    `offsets.topic.replication.factor=${rf}`,
    'offsets.topic.num.partitions=1',
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${minIsr}`,
    'transaction.state.log.num.partitions=1',
    `share.coordinator.state.topic.replication.factor=${rf}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    `default.replication.factor=${rf}`,
    `min.insync.replicas=${minIsr}`,
    // A dead node is fenced (its partitions get new leaders) after its session times out: 3 s
    // instead of 9 s. A follower that stopped fetching leaves the ISR after 5 s instead of 30 s:
    // killing the node that held the coordinators stalled every partition ~30 s, as long as
    // the default; 5 s ended it in small runs, not in a full one (README, "Reliability"). The price: a
    // follower stalled 5 s (a GC pause) drops out of the ISR and must catch up to rejoin it.
    ...(nodes > 1 ? ['broker.heartbeat.interval.ms=500', 'broker.session.timeout.ms=3000', 'replica.lag.time.max.ms=5000'] : []),
  ];
}

function serverProperties(dataDir: string, self: NodeSpec, all: readonly NodeSpec[]): string {
  const { port, controllerPort } = self;
  return [
    'process.roles=broker,controller',
    `node.id=${self.nodeId}`,
    `controller.quorum.voters=${all.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(',')}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    // One partition per internal topic keeps the first group join and first transaction fast.
    ...replicationProperties(all.length),
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=2',
    'log.cleaner.dedupe.buffer.size=8388608',
    // Topics are declared by the project (src/shared/kafka/topics.ts), never auto-created.
    'auto.create.topics.enable=false',
    'log.retention.hours=168',
  ].join('\n');
}

const LOG4J = `rootLogger.level=WARN
rootLogger.appenderRef.f.ref=F
appender.f.type=File
appender.f.name=F
appender.f.fileName=\${sys:kafka.logs.dir}/server.log
appender.f.layout.type=PatternLayout
appender.f.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=INFO
`;

export async function startKafka(runDir: string): Promise<StartedKafka> {
  const [node] = await startNodes(runDir, 1);
  return node!;
}

/**
 * N nodes, each broker and controller (a quorum of N: one may die with N = 3), formatted with
 * one cluster id and started together (no node is ready before a quorum has formed).
 * `onSpawn` hears every pid as soon as it exists, relaunches included, so a caller can record
 * it before waiting (a crashed parent leaves nothing unrecorded).
 */
export async function startKafkaCluster(runDir: string, count: number, onSpawn?: (p: SpawnedProcess) => void): Promise<StartedKafkaCluster> {
  const nodes = await startNodes(runDir, count, onSpawn);
  return { brokers: nodes.map((n) => n.brokers).join(','), nodes };
}

async function startNodes(runDir: string, count: number, onSpawn?: (p: SpawnedProcess) => void): Promise<StartedKafka[]> {
  const java = findJava(17);
  const libs = await kafkaLibs();
  const cp = `${libs}/*`;
  const specs: NodeSpec[] = [];
  for (let nodeId = 1; nodeId <= count; nodeId++) specs.push({ nodeId, port: await freePort(), controllerPort: await freePort() });
  const clusterId = newClusterId();
  // The single node keeps its historical folder name (`kafka`), cluster nodes get `kafka-<id>`.
  const launchers = specs.map((spec) => {
    const dir = path.join(runDir, count === 1 ? 'kafka' : `kafka-${spec.nodeId}`);
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const props = path.join(dir, 'server.properties');
    writeFileSync(props, serverProperties(dataDir, spec, specs));
    const log4j = path.join(dir, 'log4j2.properties');
    writeFileSync(log4j, LOG4J);
    // Three JVMs on a small machine: a smaller heap each.
    const jvm = ['-Xms128m', count === 1 ? '-Xmx512m' : '-Xmx384m', '-XX:+UseSerialGC', `-Djava.io.tmpdir=${dir}`];
    execFileSync(java.bin, [...jvm, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], { stdio: 'pipe' });
    const logFile = path.join(dir, 'kafka.out');
    const brokers = `127.0.0.1:${spec.port}`;
    const launch = async (): Promise<StartedKafka> => {
      const proc = spawnServer(
        java.bin,
        [...jvm, `-Dlog4j2.configurationFile=${log4j}`, `-Dkafka.logs.dir=${dir}`, '-cp', cp, 'kafka.Kafka', props],
        logFile,
        props,
      );
      onSpawn?.(proc);
      await waitUntil(count === 1 ? 'Kafka' : `Kafka node ${spec.nodeId}`, () => kafkaAnswers(brokers), {
        timeoutMs: 90_000,
        alive: () => isRunning(proc),
        logFile: path.join(dir, 'server.log'),
      });
      return { brokers, process: proc, relaunch: launch };
    };
    return launch;
  });
  const results = await Promise.allSettled(launchers.map((launch) => launch()));
  const nodes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((n) => stopServer(n.process)));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  if (count > 1) await waitUntil(`Kafka cluster of ${count}`, async () => (await brokerCount(nodes.map((n) => n.brokers).join(','))) === count, { timeoutMs: 60_000 });
  return nodes;
}

/** How many brokers the cluster's metadata lists (0 when it does not answer). */
export async function brokerCount(brokers: string): Promise<number> {
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'stack-probe', logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length;
  } catch {
    return 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Ready means an admin client can list topics. */
export async function kafkaAnswers(brokers: string): Promise<boolean> {
  const kafka = new Kafka({
    brokers: brokers.split(','),
    clientId: 'stack-probe',
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * A cluster id: 16 random bytes, base64url without padding (22 chars). Like Kafka's own
 * Uuid.randomUuid, never one starting with '-': StorageTool would read it as an option
 * ("argument --cluster-id/-t: expected one argument"), one start in 64.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
