// Redis: REDIS_URL, else the machine's 127.0.0.1:6379, else a spawned redis-server.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { exists, freePort, isRunning, spawnServer, stopServer, waitUntil, type SpawnedProcess } from './processes.js';

export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export interface StartedRedis {
  readonly url: string;
  readonly port: number;
  readonly process: SpawnedProcess;
  /** Starts the same server again (same port, same data directory) after it was stopped: for failure tests. */
  relaunch(): Promise<StartedRedis>;
}

export interface RedisServerOptions {
  /** Default: a free port. */
  readonly port?: number;
  /** Append-only file fsynced on every write, so a SIGKILL loses nothing (failure tests restart it). */
  readonly persistent?: boolean;
  /** Extra redis-server arguments (cluster mode). */
  readonly args?: readonly string[];
  /** Sub-directory of the run directory (several servers in one run). */
  readonly name?: string;
  /** Hears every pid as soon as it exists (relaunches included), to record it before waiting. */
  readonly onSpawn?: (p: SpawnedProcess) => void;
}

export function redisServerInstalled(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startRedis(runDir: string, opts: RedisServerOptions = {}): Promise<StartedRedis> {
  if (!redisServerInstalled()) {
    throw new Error(
      "No Redis: REDIS_URL is not set, nothing answers on 127.0.0.1:6379, and redis-server is not installed ('apt-get install redis-server').",
    );
  }
  const dir = path.join(runDir, opts.name ?? 'redis');
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const logFile = path.join(dir, 'redis.out');
  const durability = opts.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const url = `redis://127.0.0.1:${port}`;
  const launch = async (): Promise<StartedRedis> => {
    const proc = spawnServer(
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...durability, '--dir', dir, ...(opts.args ?? [])],
      logFile,
      `127.0.0.1:${port}`,
    );
    opts.onSpawn?.(proc);
    // redis-server retitles itself "redis-server 127.0.0.1:<port>" (the marker) only once it runs: until then, the pid.
    await waitUntil('redis-server', () => redisAnswers(url), { timeoutMs: 15_000, alive: () => isRunning(proc) || exists(proc.pid), logFile });
    return { url, port, process: proc, relaunch: launch };
  };
  return launch();
}

export interface StartedRedisCluster {
  /** `host:port` of every master (REDIS_CLUSTER_NODES). */
  readonly nodes: string;
  /** The first master's URL (REDIS_URL, for what does not speak cluster). */
  readonly url: string;
  readonly masters: readonly StartedRedis[];
}

/**
 * Masters in cluster mode, no replicas, `cluster-require-full-coverage no`: a dead master's
 * slots fail until it is back on its append-only file (fsync always: nothing acknowledged is
 * lost), the other slots keep working. A promoted replica would keep its slots available, but
 * Redis replicates asynchronously: a failover can drop the last acknowledged writes, and the
 * writer's link state (create intents, applied versions) must not go back in time.
 */
export async function startRedisCluster(runDir: string, masters: number, onSpawn?: (p: SpawnedProcess) => void): Promise<StartedRedisCluster> {
  const ports: number[] = [];
  // The cluster bus needs a second port: pick it free too (redis-server 7 --cluster-port).
  const busPorts: number[] = [];
  for (let i = 0; i < masters; i++) {
    ports.push(await freePort());
    busPorts.push(await freePort());
  }
  const started = await Promise.allSettled(
    ports.map((port, i) =>
      startRedis(runDir, {
        port,
        persistent: true,
        name: `redis-${i + 1}`,
        args: ['--cluster-enabled', 'yes', '--cluster-port', String(busPorts[i]), '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--cluster-require-full-coverage', 'no'],
        ...(onSpawn ? { onSpawn } : {}),
      }),
    ),
  );
  const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  try {
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'pipe', timeout: 30_000 });
    await waitUntil('Redis Cluster', async () => (await Promise.all(ports.map((p) => clusterStateOk(p)))).every(Boolean), { timeoutMs: 30_000 });
  } catch (error) {
    await Promise.all(nodes.map((n) => stopServer(n.process)));
    throw error;
  }
  return { nodes: ports.map((p) => `127.0.0.1:${p}`).join(','), url: `redis://127.0.0.1:${ports[0]!}`, masters: nodes };
}

/** The node's own view: every slot assigned and reachable (after a restart: it rejoined). */
export async function clusterStateOk(port: number): Promise<boolean> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = await client.cluster('INFO');
    return /cluster_state:ok/.test(String(info));
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
