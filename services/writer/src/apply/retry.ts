// Retries of transient Admin API failures for one key: exponential backoff with
// jitter (half to all of the ceiling). Only `transient` and `throttled` results are retried; the caller blocks only the
// key being applied.
import type { Clock } from '../../../../src/shared/clock.js';
import type { CallResult } from '../../../../src/shopify/call-result.js';

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Infinity: a key waits out any outage (nothing lost); shutdown interrupts via the signal. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 200, maxDelayMs: 30_000, maxAttempts: Number.POSITIVE_INFINITY };

/** Thrown when shutdown interrupts a retry loop: the record was not finished and must not be committed. */
export class ApplyInterrupted extends Error {
  constructor() {
    super('apply interrupted by shutdown');
    this.name = 'ApplyInterrupted';
  }
}

export interface RetryContext {
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  readonly random: () => number;
  readonly signal?: AbortSignal | undefined;
  readonly onRetry?: ((operation: string, kind: string) => void) | undefined;
}

export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Sleeps the backoff for `attempt`; shutdown cuts the sleep short with ApplyInterrupted. */
export async function pause(ctx: RetryContext, attempt: number): Promise<void> {
  const signal = ctx.signal;
  if (signal?.aborted) throw new ApplyInterrupted();
  const sleep = ctx.clock.sleep(backoffDelay(ctx.policy, attempt, ctx.random));
  if (signal) {
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([sleep, aborted]);
    signal.removeEventListener('abort', onAbort);
  } else {
    await sleep;
  }
  if (signal?.aborted) throw new ApplyInterrupted();
}

/** Runs `call` until it is not transient/throttled or attempts run out; returns the last result. */
export async function withRetry<T>(ctx: RetryContext, operation: string, call: () => Promise<CallResult<T>>): Promise<CallResult<T>> {
  for (let attempt = 0; ; attempt++) {
    const result = await call();
    if (result.kind !== 'transient' && result.kind !== 'throttled') return result;
    if (attempt + 1 >= ctx.policy.maxAttempts) return result;
    ctx.onRetry?.(operation, result.kind);
    await pause(ctx, attempt);
  }
}
