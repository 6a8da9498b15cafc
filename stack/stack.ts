// The local stack: explicit env vars → what `stack up` recorded → Docker → local processes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApicurio, registryAnswers } from './apicurio.js';
import { dockerAvailable, startApicurioContainer, startKafkaContainer, startRedisContainer } from './docker.js';
import { kafkaAnswers, startKafka } from './kafka.js';
import { envFile, stateDir, stateFile } from './paths.js';
import { isRunning, stopServer, type SpawnedProcess } from './processes.js';
import { redisAnswers, startRedis } from './redis.js';

export interface StackEnv {
  KAFKA_BROKERS: string;
  SCHEMA_REGISTRY_URL: string;
  REDIS_URL: string;
}

type PartName = 'kafka' | 'registry' | 'redis';
const ENV_KEY: Record<PartName, keyof StackEnv> = {
  kafka: 'KAFKA_BROKERS',
  registry: 'SCHEMA_REGISTRY_URL',
  redis: 'REDIS_URL',
};

export interface StartedPart {
  readonly name: PartName;
  readonly process?: SpawnedProcess;
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

interface RecordedState {
  runDir: string | null;
  env: StackEnv;
  processes: { name: PartName; pid: number; marker: string }[];
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

/** Finds or starts Kafka, the registry and Redis, waiting until each really answers. */
export async function ensureStack(log: (msg: string) => void = () => undefined): Promise<RunningStack> {
  const env: Partial<StackEnv> = {};
  for (const name of Object.keys(ENV_KEY) as PartName[]) {
    const fromEnv = process.env[ENV_KEY[name]];
    if (fromEnv) env[ENV_KEY[name]] = fromEnv;
  }
  // Reuse what an earlier `stack up` started, if it still answers.
  const recorded = readRecorded();
  if (recorded) {
    for (const name of Object.keys(ENV_KEY) as PartName[]) {
      const key = ENV_KEY[name];
      if (!env[key] && (await answers[name](recorded.env[key]))) env[key] = recorded.env[key];
    }
  }
  // The machine's Redis is the default before spawning one.
  if (!env.REDIS_URL && (await redisAnswers('redis://127.0.0.1:6379'))) env.REDIS_URL = 'redis://127.0.0.1:6379';

  const missing = (Object.keys(ENV_KEY) as PartName[]).filter((n) => !env[ENV_KEY[n]]);
  const started: StartedPart[] = [];
  let runDir: string | null = null;
  if (missing.length > 0) {
    const useDocker = await dockerAvailable();
    if (!useDocker) runDir = mkdtempSync(path.join(os.tmpdir(), 'draft-order-sync-stack-'));
    log(`starting ${missing.join(', ')} (${useDocker ? 'testcontainers' : 'local processes in ' + runDir})`);
    const results = await Promise.allSettled(missing.map((name) => startPart(name, useDocker, runDir)));
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value.part);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((p) => p.stop()));
      if (runDir) rmSync(runDir, { recursive: true, force: true });
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') env[ENV_KEY[missing[i]!]] = r.value.value;
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

async function startPart(name: PartName, docker: boolean, runDir: string | null): Promise<{ part: StartedPart; value: string }> {
  if (docker) {
    const c = await (name === 'kafka' ? startKafkaContainer() : name === 'registry' ? startApicurioContainer() : startRedisContainer());
    return { value: c.value, part: { name, stop: async () => void (await c.container.stop()) } };
  }
  if (!runDir) throw new Error('no run directory');
  const s = name === 'kafka' ? await startKafka(runDir) : name === 'registry' ? await startApicurio(runDir) : await startRedis(runDir);
  const value = 'brokers' in s ? s.brokers : s.url;
  return { value, part: { name, process: s.process, stop: () => stopServer(s.process) } };
}

/** Records the settings (and started processes) where later commands find them. */
export function record(stack: RunningStack, previous: RecordedState | null): void {
  mkdirSync(stateDir, { recursive: true });
  const processes = [
    ...(previous?.processes.filter((p) => isRunning(p)) ?? []),
    ...stack.started.flatMap((p) => (p.process ? [{ name: p.name, pid: p.process.pid, marker: p.process.marker }] : [])),
  ];
  const state: RecordedState = { runDir: stack.runDir ?? previous?.runDir ?? null, env: stack.env, processes };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  writeFileSync(envFile, formatEnv(stack.env));
}

export function formatEnv(env: StackEnv): string {
  return `KAFKA_BROKERS=${env.KAFKA_BROKERS}\nSCHEMA_REGISTRY_URL=${env.SCHEMA_REGISTRY_URL}\nREDIS_URL=${env.REDIS_URL}\n`;
}

/** Stops what `stack up` recorded and removes its run directory and state. */
export async function downRecorded(log: (msg: string) => void = () => undefined): Promise<number> {
  const state = readRecorded();
  if (!state) return 0;
  let stopped = 0;
  await Promise.all(
    state.processes.map(async (p) => {
      if (isRunning(p)) {
        log(`stopping ${p.name} (pid ${p.pid})`);
        await stopServer(p);
        stopped += 1;
      }
    }),
  );
  if (state.runDir) rmSync(state.runDir, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
  rmSync(envFile, { force: true });
  return stopped;
}

/** Settings for commands run after `stack up` (demo, benchmarks, CLI): env vars win. */
export function recordedEnv(): Partial<StackEnv> {
  const state = readRecorded();
  return {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? state?.env.KAFKA_BROKERS,
    SCHEMA_REGISTRY_URL: process.env.SCHEMA_REGISTRY_URL ?? state?.env.SCHEMA_REGISTRY_URL,
    REDIS_URL: process.env.REDIS_URL ?? state?.env.REDIS_URL,
  };
}
