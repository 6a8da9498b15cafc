// Runs the benchmark under the V8 flags the services are meant to be deployed with: V8 reads
// heap sizes only at start-up, so a process without them re-runs itself with them.
import { spawn } from 'node:child_process';

/** A young generation big enough for whole in-flight batches, so they die young (−30–40 % GC). */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64'];

/** Resolves when this process already has `flags`; otherwise re-runs it with them and exits with its code. */
export async function withNodeFlags(flags: readonly string[]): Promise<void> {
  const current = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  const missing = flags.filter((flag) => !current.includes(flag.split('=')[0]!));
  if (missing.length === 0) return;
  const child = spawn(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  process.exit(code);
}
