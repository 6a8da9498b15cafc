// Benchmarks run against the real stack: reuse a running one or start it for the run.
import { ensureStack, type RunningStack } from '../../stack/stack.js';

export async function benchStack(): Promise<RunningStack> {
  const stack = await ensureStack((msg) => process.stderr.write(`[stack] ${msg}\n`));
  Object.assign(process.env, stack.env);
  return stack;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function progress(msg: string): void {
  process.stderr.write(`${msg}\n`);
}
