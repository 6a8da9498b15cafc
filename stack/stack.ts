// The local stack: explicit env vars → what `stack up` recorded → Docker → local processes.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApicurio, registryAnswers } from './apicurio.js';
import { dockerAvailable, startApicurioContainer, startKafkaContainer, startRedisContainer } from './docker.js';
import { brokerCount, kafkaAnswers, startKafkaCluster } from './kafka.js';
import { envFile, runsDir, stateDir, stateFile } from './paths.js';
import { isRunning, stopServer, type SpawnedProcess } from './processes.js';
import { clusterStateOk, redisAnswers, startRedis, startRedisCluster } from './redis.js';

export interface StackEnv {
  KAFKA_BROKERS: string;
  SCHEMA_REGISTRY_URL: string;
  REDIS_URL: string;
  /** Set only by `up --redis-cluster`: the masters' `host:port`s. */
  REDIS_CLUSTER_NODES?: string;
}

/** `up --kafka-brokers N --redis-cluster`; the default is one broker and one Redis (CI's stack). */
export interface StackShape {
  readonly kafkaBrokers: number;
  readonly redisCluster: boolean;
}

export const SINGLE_NODE: StackShape = { kafkaBrokers: 1, redisCluster: false };

export interface EnsureOptions {
  readonly shape?: StackShape;
  /** Hears every server process the moment it is spawned (to record it before anything can fail). */
  readonly onSpawn?: (name: PartName, p: SpawnedProcess) => void;
  /** Hears the run directory before anything is started in it. */
  readonly onRunDir?: (dir: string) => void;
}

export type PartName = 'kafka' | 'registry' | 'redis';
const ENV_KEY: Record<PartName, Exclude<keyof StackEnv, 'REDIS_CLUSTER_NODES'>> = {
  kafka: 'KAFKA_BROKERS',
  registry: 'SCHEMA_REGISTRY_URL',
  redis: 'REDIS_URL',
};

export interface StartedPart {
  readonly name: PartName;
  /** Local server processes (several for a cluster); none for a container. */
  readonly processes: readonly SpawnedProcess[];
  stop(): Promise<void>;
}

export interface RunningStack {
  readonly env: StackEnv;
  /** What this call started (empty when everything was already there). */
  readonly started: readonly StartedPart[];
  readonly runDir: string | null;
  /** Stops only what this call started, and removes its run directory. */
  stop(): Promise<void>;
}

export interface RecordedProcess {
  /** 'service': a process of a run (chaos) other than a server, stopped with the run's servers. */
  name: PartName | 'service';
  pid: number;
  marker: string;
}

interface RecordedState {
  runDir: string | null;
  env: StackEnv;
  /** Absent in states written before clusters existed: one broker, one Redis. */
  shape?: StackShape;
  /** Run directories of `up`s that had not finished yet (removed by `down` with runDir). */
  pendingRunDirs?: string[];
  processes: RecordedProcess[];
}

export function readRecorded(): RecordedState | null {
  if (!existsSync(stateFile)) return null;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as RecordedState;
  } catch {
    return null;
  }
}

const answers: Record<PartName, (v: string) => Promise<boolean>> = {
  kafka: kafkaAnswers,
  registry: async (url) => registryAnswers(url).catch(() => false),
  redis: redisAnswers,
};

/** A recorded part is reused only in the shape asked for (a single broker is no 3-broker cluster). */
async function recordedFits(name: PartName, state: RecordedState, shape: StackShape): Promise<boolean> {
  const was = state.shape ?? SINGLE_NODE;
  if (name === 'kafka') return was.kafkaBrokers === shape.kafkaBrokers && (shape.kafkaBrokers === 1 || (await brokerCount(state.env.KAFKA_BROKERS)) === shape.kafkaBrokers);
  if (name === 'redis' && was.redisCluster !== shape.redisCluster) return false;
  if (name === 'redis' && shape.redisCluster) {
    const ports = (state.env.REDIS_CLUSTER_NODES ?? '').split(',').filter(Boolean).map((hp) => Number(hp.split(':')[1]));
    return ports.length > 0 && (await Promise.all(ports.map((p) => clusterStateOk(p)))).every(Boolean);
  }
  return true;
}

/** Finds or starts Kafka, the registry and Redis, waiting until each really answers. */
export async function ensureStack(log: (msg: string) => void = () => undefined, opts: EnsureOptions = {}): Promise<RunningStack> {
  const shape = opts.shape ?? SINGLE_NODE;
  const env: Partial<StackEnv> = {};
  for (const name of Object.keys(ENV_KEY) as PartName[]) {
    const fromEnv = process.env[ENV_KEY[name]];
    if (fromEnv) env[ENV_KEY[name]] = fromEnv;
  }
  if (env.REDIS_URL && process.env.REDIS_CLUSTER_NODES) env.REDIS_CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES;
  // Reuse what an earlier `stack up` started, if it still answers.
  const recorded = readRecorded();
  if (recorded) {
    for (const name of Object.keys(ENV_KEY) as PartName[]) {
      const key = ENV_KEY[name];
      if (!env[key] && (await answers[name](recorded.env[key])) && (await recordedFits(name, recorded, shape))) {
        env[key] = recorded.env[key];
        if (name === 'redis' && recorded.env.REDIS_CLUSTER_NODES) env.REDIS_CLUSTER_NODES = recorded.env.REDIS_CLUSTER_NODES;
      }
    }
  }
  // The machine's Redis is the default before spawning one (not a cluster).
  if (!env.REDIS_URL && !shape.redisCluster && (await redisAnswers('redis://127.0.0.1:6379'))) env.REDIS_URL = 'redis://127.0.0.1:6379';

  const missing = (Object.keys(ENV_KEY) as PartName[]).filter((n) => !env[ENV_KEY[n]]);
  const started: StartedPart[] = [];
  let runDir: string | null = null;
  if (missing.length > 0) {
    // Clusters are local processes only (the containers here are single nodes).
    const useDocker = shape.kafkaBrokers === 1 && !shape.redisCluster && (await dockerAvailable());
    if (!useDocker) {
      runDir = mkdtempSync(path.join(os.tmpdir(), 'draft-order-sync-stack-'));
      opts.onRunDir?.(runDir);
    }
    log(`starting ${missing.join(', ')} (${useDocker ? 'testcontainers' : 'local processes in ' + runDir})`);
    const results = await Promise.allSettled(missing.map((name) => startPart(name, useDocker, runDir, shape, opts.onSpawn)));
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value.part);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((p) => p.stop()));
      if (runDir) rmSync(runDir, { recursive: true, force: true });
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    results.forEach((r, i) => {
      if (r.status !== 'fulfilled') return;
      env[ENV_KEY[missing[i]!]] = r.value.value;
      if (r.value.clusterNodes) env.REDIS_CLUSTER_NODES = r.value.clusterNodes;
    });
  }
  const full = env as StackEnv;
  return {
    env: full,
    started,
    runDir,
    async stop() {
      await Promise.all(started.map((p) => p.stop()));
      if (runDir) rmSync(runDir, { recursive: true, force: true });
    },
  };
}

async function startPart(
  name: PartName,
  docker: boolean,
  runDir: string | null,
  shape: StackShape,
  onSpawn: EnsureOptions['onSpawn'],
): Promise<{ part: StartedPart; value: string; clusterNodes?: string }> {
  if (docker) {
    const c = await (name === 'kafka' ? startKafkaContainer() : name === 'registry' ? startApicurioContainer() : startRedisContainer());
    return { value: c.value, part: { name, processes: [], stop: async () => void (await c.container.stop()) } };
  }
  if (!runDir) throw new Error('no run directory');
  const spawned = (p: SpawnedProcess): void => onSpawn?.(name, p);
  const local = (processes: readonly SpawnedProcess[]): StartedPart => ({ name, processes, stop: async () => void (await Promise.all(processes.map((p) => stopServer(p)))) });
  if (name === 'kafka') {
    const kafka = await startKafkaCluster(runDir, shape.kafkaBrokers, spawned);
    return { value: kafka.brokers, part: local(kafka.nodes.map((n) => n.process)) };
  }
  if (name === 'redis' && shape.redisCluster) {
    const cluster = await startRedisCluster(runDir, 3, spawned);
    return { value: cluster.url, clusterNodes: cluster.nodes, part: local(cluster.masters.map((m) => m.process)) };
  }
  const s = name === 'registry' ? await startApicurio(runDir) : await startRedis(runDir, { onSpawn: spawned });
  if (name === 'registry') spawned(s.process);
  return { value: s.url, part: local([s.process]) };
}

/** Records the settings (and started processes) where later commands find them. */
export function record(stack: RunningStack, previous: RecordedState | null, shape: StackShape = SINGLE_NODE): void {
  mkdirSync(stateDir, { recursive: true });
  const processes = [
    ...(previous?.processes.filter((p) => isRunning(p)) ?? []),
    ...stack.started.flatMap((part) => part.processes.map((p) => ({ name: part.name, pid: p.pid, marker: p.marker }))),
  ];
  const state: RecordedState = {
    runDir: stack.runDir ?? previous?.runDir ?? null,
    env: stack.env,
    shape,
    // An earlier run directory this `up` replaced still goes with `down`.
    pendingRunDirs: [...(previous?.pendingRunDirs ?? []), ...(stack.runDir && previous?.runDir ? [previous.runDir] : [])],
    processes: dedupe(processes),
  };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  writeFileSync(envFile, formatEnv(stack.env));
}

/**
 * While `up` is still starting: every spawned pid joins the recorded ones at once, so a `down`
 * after an `up` that died half-way still finds them (the env stays the previous one until
 * `record`). An earlier run directory stays recorded; this one is found by its processes' markers.
 */
export function recordSpawned(previous: RecordedState | null, spawned: readonly RecordedProcess[], pendingRunDir: string | null): void {
  mkdirSync(stateDir, { recursive: true });
  const state: RecordedState = {
    runDir: previous?.runDir ?? null,
    pendingRunDirs: [...(previous?.pendingRunDirs ?? []), ...(pendingRunDir ? [pendingRunDir] : [])],
    env: previous?.env ?? { KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '', REDIS_URL: '' },
    ...(previous?.shape ? { shape: previous.shape } : {}),
    processes: dedupe([...(previous?.processes ?? []), ...spawned]),
  };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
}

function dedupe(processes: readonly RecordedProcess[]): RecordedProcess[] {
  const seen = new Set<string>();
  return processes.filter((p) => !seen.has(`${p.pid}/${p.marker}`) && seen.add(`${p.pid}/${p.marker}`));
}

export function formatEnv(env: StackEnv): string {
  const cluster = env.REDIS_CLUSTER_NODES ? `REDIS_CLUSTER_NODES=${env.REDIS_CLUSTER_NODES}\n` : '';
  return `KAFKA_BROKERS=${env.KAFKA_BROKERS}\nSCHEMA_REGISTRY_URL=${env.SCHEMA_REGISTRY_URL}\nREDIS_URL=${env.REDIS_URL}\n${cluster}`;
}

/**
 * The servers of a run that is not `stack up` (a chaos run's own cluster), recorded in
 * `.stack/runs/` from the moment each is spawned (relaunches included) and removed when the run
 * stops them: a run whose process died leaves its record, and `stack down` stops what it lists.
 */
export class RunRecord {
  private readonly file: string;
  private processes: RecordedProcess[] = [];

  constructor(private readonly runDir: string) {
    this.file = path.join(runsDir, `${path.basename(runDir)}.json`);
  }

  add(name: PartName | 'service', p: Pick<SpawnedProcess, 'pid' | 'marker'>): void {
    this.processes = [...this.processes.filter(isRunning), { name, pid: p.pid, marker: p.marker }];
    mkdirSync(runsDir, { recursive: true });
    writeFileSync(this.file, JSON.stringify({ runDir: this.runDir, processes: this.processes }, null, 2));
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }
}

/** Stops the servers of recorded runs whose command is gone (or still running: `down` means down). */
async function downRuns(log: (msg: string) => void): Promise<number> {
  if (!existsSync(runsDir)) return 0;
  let stopped = 0;
  for (const name of readdirSync(runsDir).filter((f) => f.endsWith('.json'))) {
    const file = path.join(runsDir, name);
    let run: { runDir: string; processes: RecordedProcess[] } | null = null;
    try {
      run = JSON.parse(readFileSync(file, 'utf8')) as { runDir: string; processes: RecordedProcess[] };
    } catch {
      run = null;
    }
    for (const p of run?.processes ?? []) {
      if (!isRunning(p)) continue;
      log(`stopping ${p.name} of run ${path.basename(run?.runDir ?? name)} (pid ${p.pid})`);
      await stopServer(p);
      stopped += 1;
    }
    if (run?.runDir) rmSync(run.runDir, { recursive: true, force: true });
    rmSync(file, { force: true });
  }
  return stopped;
}

/** Stops what `stack up` recorded (and recorded runs' clusters) and removes their run directories and state. */
export async function downRecorded(log: (msg: string) => void = () => undefined): Promise<number> {
  const state = readRecorded();
  let stopped = await downRuns(log);
  if (!state) return stopped;
  await Promise.all(
    state.processes.map(async (p) => {
      if (isRunning(p)) {
        log(`stopping ${p.name} (pid ${p.pid})`);
        await stopServer(p);
        stopped += 1;
      }
    }),
  );
  for (const dir of [state.runDir, ...(state.pendingRunDirs ?? [])]) if (dir) rmSync(dir, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
  rmSync(envFile, { force: true });
  return stopped;
}

/** Settings for commands run after `stack up` (demo, benchmarks, CLI): env vars win. */
export function recordedEnv(): Partial<StackEnv> {
  const state = readRecorded();
  // The cluster seeds go with the recorded Redis, never with a REDIS_URL given here.
  const clusterNodes = process.env.REDIS_CLUSTER_NODES ?? (process.env.REDIS_URL ? undefined : state?.env.REDIS_CLUSTER_NODES);
  return {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? state?.env.KAFKA_BROKERS,
    SCHEMA_REGISTRY_URL: process.env.SCHEMA_REGISTRY_URL ?? state?.env.SCHEMA_REGISTRY_URL,
    REDIS_URL: process.env.REDIS_URL ?? state?.env.REDIS_URL,
    ...(clusterNodes ? { REDIS_CLUSTER_NODES: clusterNodes } : {}),
  };
}
