// Retries of transient Admin API failures for one key, with the shared backoff
// (src/shared/retry.ts). Only `transient` and `throttled` results are retried; the caller
// blocks only the key being applied.
import type { Clock } from '../../../../src/shared/clock.js';
import { DosError } from '../../../../src/shared/errors.js';
import { backoffDelay, sleep, type Backoff } from '../../../../src/shared/retry.js';
import type { CallResult } from '../../../../src/shopify/call-result.js';

export interface RetryPolicy extends Backoff {
  /** Infinity: a key waits out any outage (nothing lost); shutdown interrupts via the signal. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 200, maxDelayMs: 30_000, maxAttempts: Number.POSITIVE_INFINITY };

/** Thrown when shutdown interrupts a retry loop: the record was not finished and must not be committed. */
export class ApplyInterrupted extends DosError {
  constructor() {
    super('APPLY_INTERRUPTED', 'apply interrupted by shutdown', { retriable: true });
  }
}

export interface RetryContext {
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  readonly random: () => number;
  readonly signal?: AbortSignal | undefined;
  readonly onRetry?: ((operation: string, kind: string) => void) | undefined;
}

/** Sleeps the backoff for `attempt`; shutdown cuts the sleep short with ApplyInterrupted. */
export async function pause(ctx: RetryContext, attempt: number): Promise<void> {
  if (!(await sleep(backoffDelay(ctx.policy, attempt, ctx.random), { signal: ctx.signal, clock: ctx.clock }))) throw new ApplyInterrupted();
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
