import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/shared/clock.js';
import type { CallResult } from '../../../../src/shopify/call-result.js';
import { backoffDelay } from '../../../../src/shared/retry.js';
import { ApplyInterrupted, withRetry, type RetryContext } from './retry.js';

const transient: CallResult<number> = { kind: 'transient', reason: 'HTTP 503', status: 503 };

function context(clock: ManualClock, overrides: Partial<RetryContext> = {}): RetryContext {
  return { clock, policy: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: Number.POSITIVE_INFINITY }, random: () => 1, ...overrides };
}

describe('withRetry', () => {
  it('backs off exponentially with jitter, capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(policy, a, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(policy, 2, () => 0)).toBe(200);
  });

  it('retries transient results until one is not transient', async () => {
    const clock = new ManualClock();
    const results: CallResult<number>[] = [transient, { kind: 'throttled', cost: null, retryAfterMs: null }, { kind: 'ok', data: 7, cost: null }];
    const retried: string[] = [];
    const done = withRetry(context(clock, { onRetry: (op, kind) => retried.push(`${op}:${kind}`) }), 'Op', () => Promise.resolve(results.shift()!));
    await clock.advance(100);
    await clock.advance(200);
    await expect(done).resolves.toEqual({ kind: 'ok', data: 7, cost: null });
    expect(retried).toEqual(['Op:transient', 'Op:throttled']);
  });

  it('does not retry permanent results', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const result = await withRetry(context(clock), 'Op', () => {
      calls++;
      return Promise.resolve<CallResult<number>>({ kind: 'user-errors', userErrors: [{ field: null, message: 'bad' }], cost: null });
    });
    expect(result.kind).toBe('user-errors');
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts with the last result', async () => {
    const clock = new ManualClock();
    const done = withRetry(context(clock, { policy: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 3 } }), 'Op', () => Promise.resolve(transient));
    await clock.advance(100);
    await expect(done).resolves.toEqual(transient);
  });

  it('stops with ApplyInterrupted when shutdown aborts the wait', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const done = withRetry(context(clock, { signal: controller.signal }), 'Op', () => Promise.resolve(transient));
    await clock.advance(0);
    // Aborted mid-backoff: no need to wait the backoff out.
    controller.abort();
    await expect(done).rejects.toBeInstanceOf(ApplyInterrupted);
  });
});
