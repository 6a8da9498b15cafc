// Redis: REDIS_URL, else the machine's 127.0.0.1:6379, else a spawned redis-server.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { exists, freePort, isRunning, spawnServer, waitUntil, type SpawnedProcess } from './processes.js';

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
    // redis-server retitles itself "redis-server 127.0.0.1:<port>" (the marker) only once it runs: until then, the pid.
    await waitUntil('redis-server', () => redisAnswers(url), { timeoutMs: 15_000, alive: () => isRunning(proc) || exists(proc.pid), logFile });
    return { url, port, process: proc, relaunch: launch };
  };
  return launch();
}
