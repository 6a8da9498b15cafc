import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { LeakyBucket, STANDARD_PLAN } from './leaky-bucket.js';

describe('LeakyBucket', () => {
  it('reserves, refunds and refills at restoreRate per second', () => {
    const clock = new ManualClock();
    const bucket = new LeakyBucket(STANDARD_PLAN, clock);
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
    expect(bucket.tryReserve(1500)).toBe(true);
    bucket.refund(500); // actual cost was 1000
    expect(bucket.status().currentlyAvailable).toBe(1000);
    expect(bucket.tryReserve(1001)).toBe(false); // nothing taken when refused
    expect(bucket.status().currentlyAvailable).toBe(1000);
    clock.advance(2500);
    expect(bucket.status().currentlyAvailable).toBe(1250);
    clock.advance(60_000);
    expect(bucket.status().currentlyAvailable).toBe(2000); // capped
  });

  it('timeScale speeds up refill and reports the effective restore rate', () => {
    const clock = new ManualClock();
    const bucket = new LeakyBucket({ ...STANDARD_PLAN, timeScale: 10 }, clock);
    bucket.setAvailable(0);
    clock.advance(1000);
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 1000, restoreRate: 1000 });
  });
});
