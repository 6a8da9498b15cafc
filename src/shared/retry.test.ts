import { describe, expect, it } from 'vitest';
import { DosError } from './errors.js';
import { backoffDelay, retry, sleep } from './retry.js';

describe('backoffDelay', () => {
  it('doubles up to the ceiling, with half to all of it as jitter', () => {
    const backoff = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(backoff, a, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(backoff, 2, () => 0)).toBe(200);
    expect(backoffDelay(backoff, 10_000, () => 1)).toBe(1000);
  });
});

describe('retry', () => {
  const fast = { baseDelayMs: 1, maxDelayMs: 2 };

  it('tries again until it succeeds, within its attempts', async () => {
    let calls = 0;
    const value = await retry(async () => {
      if (++calls < 3) throw new Error('not yet');
      return 'done';
    }, { ...fast, attempts: 5 });
    expect([value, calls]).toEqual(['done', 3]);
  });

  it('gives up with the last error when attempts run out or the failure is not retriable', async () => {
    let calls = 0;
    await expect(retry(async () => Promise.reject(new Error(`fail ${++calls}`)), { ...fast, attempts: 3 })).rejects.toThrow('fail 3');
    calls = 0;
    const permanent = new DosError('BAD', 'no', { retriable: false });
    await expect(
      retry(async () => {
        calls++;
        throw permanent;
      }, { ...fast, attempts: 5, retryIf: (e) => e instanceof DosError && e.retriable }),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('stops waiting at once when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const attempt = retry(async () => Promise.reject(new Error('down')), { baseDelayMs: 60_000, maxDelayMs: 60_000, attempts: 10, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(attempt).rejects.toThrow('down');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await sleep(10_000, { signal: controller.signal })).toBe(false);
  });
});
