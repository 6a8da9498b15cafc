// Backing off and trying again: every place that waits before a retry uses these, so the
// jitter rule is one (half to all of the exponential ceiling, spreading instances apart).
import { systemClock, type Clock } from './clock.js';

export interface Backoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** The delay before retry number `attempt` (0-based): half to all of min(max, base · 2^attempt). */
export function backoffDelay(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Sleeps `ms` on the clock; an abort ends the sleep at once. Resolves true when it slept in full. */
export async function sleep(ms: number, opts: { readonly signal?: AbortSignal | undefined; readonly clock?: Clock } = {}): Promise<boolean> {
  const { signal } = opts;
  if (signal?.aborted) return false;
  const slept = (opts.clock ?? systemClock).sleep(ms, signal);
  if (!signal) {
    await slept;
    return true;
  }
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  await Promise.race([slept, aborted]);
  signal.removeEventListener('abort', onAbort);
  return !signal.aborted;
}

export interface RetryOptions extends Backoff {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Which failures are worth another try; default every one. */
  readonly retryIf?: (error: unknown) => boolean;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `fn` until it resolves, the failure is not retriable, attempts run out or the signal aborts (then the last error is thrown). */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= opts.attempts || !(opts.retryIf?.(error) ?? true)) throw error;
      const delay = backoffDelay(opts, attempt, opts.random);
      opts.onRetry?.(error, attempt, delay);
      if (!(await sleep(delay, { signal: opts.signal, ...(opts.clock ? { clock: opts.clock } : {}) }))) throw error;
    }
  }
}
