// Spawning and stopping the stack's server processes: detached, logged, never killed by name.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, closeSync } from 'node:fs';
import net from 'node:net';

export interface SpawnedProcess {
  readonly pid: number;
  readonly logFile: string;
  /** A string the process's command line must contain before we signal it. */
  readonly marker: string;
}

export function spawnServer(cmd: string, args: string[], logFile: string, marker: string): SpawnedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  return { pid: child.pid, logFile, marker };
}

export function isRunning(p: Pick<SpawnedProcess, 'pid' | 'marker'>): boolean {
  try {
    const cmdline = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
    return cmdline.includes(p.marker);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after the deadline; only if the pid is still our process. */
export async function stopServer(p: Pick<SpawnedProcess, 'pid' | 'marker'>, graceMs = 15_000): Promise<void> {
  if (!isRunning(p)) return;
  process.kill(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(p)) return;
    await delay(100);
  }
  if (isRunning(p)) process.kill(p.pid, 'SIGKILL');
  // The command line vanishes while the process is still exiting: wait until it is gone.
  const goneDeadline = Date.now() + 10_000;
  while (exists(p.pid) && Date.now() < goneDeadline) await delay(50);
}

/** SIGKILL (a crash, for failure tests) and wait until it is gone; only if the pid is still our process. */
export async function killServer(p: Pick<SpawnedProcess, 'pid' | 'marker'>): Promise<void> {
  if (!isRunning(p)) return;
  process.kill(p.pid, 'SIGKILL');
  const goneDeadline = Date.now() + 10_000;
  while (exists(p.pid) && Date.now() < goneDeadline) await delay(50);
}

/** Present and not a zombie (whatever its command line says now). */
export function exists(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it resolves true; fails with the log's tail if `alive` turns false or time runs out. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; alive?: () => boolean; logFile?: string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (opts.alive && !opts.alive()) throw new Error(`${what} exited during start-up.${logTail(opts.logFile)}`);
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await delay(250);
  }
  throw new Error(`${what} did not become ready within ${opts.timeoutMs} ms (${lastError}).${logTail(opts.logFile)}`);
}

function logTail(file: string | undefined): string {
  if (!file) return '';
  try {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    return `\n--- last lines of ${file} ---\n${lines.slice(-15).join('\n')}`;
  } catch {
    return '';
  }
}
