// Redis: REDIS_URL, else the machine's 127.0.0.1:6379, else a spawned redis-server.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, isRunning, spawnServer, waitUntil, type SpawnedProcess } from './processes.js';

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
  readonly process: SpawnedProcess;
}

export async function startRedis(runDir: string): Promise<StartedRedis> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      "No Redis: REDIS_URL is not set, nothing answers on 127.0.0.1:6379, and redis-server is not installed ('apt-get install redis-server').",
    );
  }
  const dir = path.join(runDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(dir, 'redis.out');
  const proc = spawnServer(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
    logFile,
    `127.0.0.1:${port}`,
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil('redis-server', () => redisAnswers(url), { timeoutMs: 15_000, alive: () => isRunning(proc), logFile });
  return { url, process: proc };
}
