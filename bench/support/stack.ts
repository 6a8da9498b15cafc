// Benchmarks run against the real stack: reuse a running one or start it for the run.
import { loadSettings, type Settings } from '../../src/shared/config/index.js';
import { Infra } from '../../src/shared/infra.js';
import { createLogger } from '../../src/shared/log.js';
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

/** Settings the way a service reads them: the stack's endpoints plus the benchmark's own prefixes. */
export function benchSettings(stack: RunningStack, env: Record<string, string> = {}): Settings {
  return loadSettings({ ...process.env, ...stack.env, ...env });
}

/** The product's bootstrap for the benchmark's own connections (admin, producers, Redis). */
export function benchInfra(label: string, settings: Settings): Infra {
  return new Infra({ settings: settings.infra, names: settings.names, clientId: label, logger: createLogger(label, 'warn') });
}
