// A single-node Apache Kafka (KRaft) on 127.0.0.1, from the Maven Central classpath.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { findJava } from './java.js';
import { kafkaLibs } from './maven.js';
import { freePort, isRunning, spawnServer, waitUntil, type SpawnedProcess } from './processes.js';

export interface StartedKafka {
  readonly brokers: string;
  readonly process: SpawnedProcess;
  /** Starts the same broker again (same port, same data) after it was stopped: for failure tests. */
  relaunch(): Promise<StartedKafka>;
}

function serverProperties(dataDir: string, port: number, controllerPort: number): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    // Single node: every internal topic has one replica; one partition each keeps the
    // first group join and first transaction fast.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
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
  const java = findJava(17);
  const libs = await kafkaLibs();
  const dir = path.join(runDir, 'kafka');
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const [port, controllerPort] = [await freePort(), await freePort()];
  const props = path.join(dir, 'server.properties');
  writeFileSync(props, serverProperties(dataDir, port, controllerPort));
  const log4j = path.join(dir, 'log4j2.properties');
  writeFileSync(log4j, LOG4J);
  const cp = `${libs}/*`;
  const jvm = ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', `-Djava.io.tmpdir=${dir}`];
  const clusterId = newClusterId();
  execFileSync(java.bin, [...jvm, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], {
    stdio: 'pipe',
  });
  const logFile = path.join(dir, 'kafka.out');
  const brokers = `127.0.0.1:${port}`;
  const launch = async (): Promise<StartedKafka> => {
    const proc = spawnServer(
      java.bin,
      [...jvm, `-Dlog4j2.configurationFile=${log4j}`, `-Dkafka.logs.dir=${dir}`, '-cp', cp, 'kafka.Kafka', props],
      logFile,
      props,
    );
    await waitUntil('Kafka', () => kafkaAnswers(brokers), {
      timeoutMs: 90_000,
      alive: () => isRunning(proc),
      logFile: path.join(dir, 'server.log'),
    });
    return { brokers, process: proc, relaunch: launch };
  };
  return launch();
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
