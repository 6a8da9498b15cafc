import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { Pacer, type Permit } from './pacer.js';
import { TokenBucketMirror } from './token-bucket.js';

const status = (currentlyAvailable: number, maximumAvailable = 100, restoreRate = 10) => ({
  requestedQueryCost: 10,
  actualQueryCost: 10,
  throttleStatus: { maximumAvailable, currentlyAvailable, restoreRate },
});

/** A pacer that has learned the bucket's level from a first (free) reply. */
async function pacerAt(clock: ManualClock, level: number): Promise<Pacer> {
  const pacer = new Pacer({ clock, initialBucket: { maximumAvailable: 100, restoreRate: 10 }, floorShare: 0, random: () => 0 });
  (await pacer.acquire(0)).settle({ requestedQueryCost: 0, actualQueryCost: 0, throttleStatus: { maximumAvailable: 100, currentlyAvailable: level, restoreRate: 10 } });
  return pacer;
}

describe('Pacer', () => {
  it('admits concurrent requests only up to the available points, then one per refill', async () => {
    const clock = new ManualClock();
    const pacer = await pacerAt(clock, 30);
    expect(pacer.available()).toBe(30);

    const admitted: Permit[] = [];
    for (let i = 0; i < 6; i++) void pacer.acquire(10).then((p) => admitted.push(p));
    await clock.advance(0);
    expect(admitted).toHaveLength(3);
    expect(pacer.available()).toBe(0);

    // 10 points/s restore: one more 10-point request per second, never more.
    await clock.advance(999);
    expect(admitted).toHaveLength(3);
    await clock.advance(1);
    expect(admitted).toHaveLength(4);
    await clock.advance(2000);
    expect(admitted).toHaveLength(6);
    expect(pacer.available()).toBeGreaterThanOrEqual(0);
  });

  it('keeps the floor as headroom', async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, initialBucket: { maximumAvailable: 100, restoreRate: 10 }, floorShare: 0.2 });
    const first = await pacer.acquire(10);
    first.settle(status(35));
    let admitted = 0;
    for (let i = 0; i < 3; i++) void pacer.acquire(10).then(() => admitted++);
    await clock.advance(0);
    // 35 available, 20 kept back: one 10-point request fits, the second would dip into the floor.
    expect(admitted).toBe(1);
  });

  it('on THROTTLED holds every request for (cost - currentlyAvailable) / restoreRate plus a margin', async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, initialBucket: { maximumAvailable: 1000, restoreRate: 50 }, floorShare: 0, throttleMarginMs: 40, random: () => 0.5 });
    const permit = await pacer.acquire(10);
    const wait = pacer.throttled(permit, { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 4, restoreRate: 50 } }, null);
    // (10 - 4) / 50 s = 120 ms, + 40 ms × 1.5 margin.
    expect(wait).toBe(180);
    expect(pacer.stats.throttled).toBe(1);
    expect(pacer.stats.reserved).toBe(0);

    let admitted = false;
    void pacer.acquire(10).then(() => (admitted = true));
    await clock.advance(179);
    expect(admitted).toBe(false);
    await clock.advance(1);
    expect(admitted).toBe(true);
  });

  it('honours a longer Retry-After from a 429', async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, floorShare: 0, throttleMarginMs: 0 });
    const permit = await pacer.acquire(10);
    expect(pacer.throttled(permit, null, 2000)).toBe(2000);
  });

  it('refills at the restore rate up to the maximum', () => {
    const bucket = new TokenBucketMirror({ maximumAvailable: 100, restoreRate: 10 }, 0);
    bucket.observe({ maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 }, 0, 0);
    expect(bucket.estimate(0)).toBe(20);
    expect(bucket.estimate(3000)).toBe(50);
    expect(bucket.estimate(60_000)).toBe(100);
  });

  it('ignores a reply to an older request than the one last adopted', () => {
    const bucket = new TokenBucketMirror({ maximumAvailable: 100, restoreRate: 10 }, 0);
    bucket.observe({ maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 }, 500, 1000);
    bucket.observe({ maximumAvailable: 100, currentlyAvailable: 90, restoreRate: 10 }, 400, 1000);
    expect(bucket.estimate(1000)).toBe(20);
  });

  it('learns the drain of other clients sharing the store and slows its own refill', () => {
    const bucket = new TokenBucketMirror({ maximumAvailable: 1000, restoreRate: 100 }, 0);
    bucket.observe({ maximumAvailable: 1000, currentlyAvailable: 200, restoreRate: 100 }, 0, 0);
    // Each second we spend 20, the bucket refills 100, yet it stays flat: others take 80/s.
    for (let t = 1; t <= 10; t++) {
      bucket.charge(20);
      bucket.observe({ maximumAvailable: 1000, currentlyAvailable: 200, restoreRate: 100 }, t * 1000, t * 1000);
    }
    expect(bucket.drain).toBeGreaterThan(70);
    expect(bucket.effectiveRate()).toBeLessThan(30);
    // Never assumes zero refill: it must keep probing to notice the others stop.
    expect(bucket.effectiveRate()).toBeGreaterThanOrEqual(10);
  });

  it('reports level, waits and throttles through hooks', async () => {
    const clock = new ManualClock();
    const levels: number[] = [];
    const waits: number[] = [];
    let throttled = 0;
    const pacer = new Pacer({
      clock,
      initialBucket: { maximumAvailable: 100, restoreRate: 10 },
      floorShare: 0,
      hooks: { onLevel: (l) => levels.push(l), onWait: (ms) => waits.push(ms), onThrottled: () => throttled++ },
    });
    const p = await pacer.acquire(10);
    p.settle(status(5));
    const waiting = pacer.acquire(10);
    await clock.advance(500);
    (await waiting).settle(status(0));
    pacer.throttled(await pacer.acquire(0), status(0), null);
    expect(levels.length).toBeGreaterThan(0);
    expect(waits).toEqual([500]);
    expect(throttled).toBe(1);
  });
});
