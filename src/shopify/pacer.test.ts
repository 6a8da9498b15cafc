import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.js';
import { Pacer, type Permit } from './pacer.js';
import { TokenBucketMirror } from './token-bucket.js';

const status = (currentlyAvailable: number, maximumAvailable = 100, restoreRate = 10) => ({
  requestedQueryCost: 10,
  actualQueryCost: 10,
  throttleStatus: { maximumAvailable, currentlyAvailable, restoreRate },
});

/** A pacer that has learned the bucket's level from a first (free) reply. */
async function pacerAt(clock: ManualClock, level: number, maxInFlightShare = 1): Promise<Pacer> {
  const pacer = new Pacer({ clock, initialBucket: { maximumAvailable: 100, restoreRate: 10 }, floorShare: 0, maxInFlightShare, random: () => 0 });
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

  it('before any reply, sends one request alone and lets the rest wait for what it reports', async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, floorShare: 0, maxInFlightShare: 1 });
    const admitted: Permit[] = [];
    for (let i = 0; i < 5; i++) void pacer.acquire(10).then((p) => admitted.push(p));
    await clock.advance(0);
    expect(admitted).toHaveLength(1);
    // The probe reports a nearly empty bucket: only two more fit.
    admitted[0]!.settle({ requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 } });
    await clock.advance(0);
    expect(admitted).toHaveLength(3);
  });

  it('bounds the cost it has in flight, then admits as replies come back', async () => {
    const clock = new ManualClock();
    const pacer = await pacerAt(clock, 100, 0.1);
    const admitted: Permit[] = [];
    // 10 % of a 100-point bucket: one 10-point request at a time.
    for (let i = 0; i < 3; i++) void pacer.acquire(10).then((p) => admitted.push(p));
    await clock.advance(0);
    expect(admitted).toHaveLength(1);
    admitted[0]!.settle(status(90));
    await clock.advance(0);
    expect(admitted).toHaveLength(2);
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
    // Then the refill the request still needs, at the halved share: 4 + 0.18 s × 25/s = 8.5 → 60 ms more.
    await clock.advance(60);
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
    bucket.observe({ maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 }, 0);
    expect(bucket.estimate(0)).toBe(20);
    expect(bucket.estimate(3000)).toBe(50);
    expect(bucket.estimate(60_000)).toBe(100);
  });

  it('caps a stale (out-of-order) reading at the last level plus possible refill', () => {
    const bucket = new TokenBucketMirror({ maximumAvailable: 100, restoreRate: 10 }, 0);
    bucket.observe({ maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 }, 1000);
    // 0.5 s later the bucket can hold at most 25, whatever an older reply says.
    bucket.observe({ maximumAvailable: 100, currentlyAvailable: 90, restoreRate: 10 }, 1500);
    expect(bucket.estimate(1500)).toBe(25);
    bucket.observe({ maximumAvailable: 100, currentlyAvailable: 12, restoreRate: 10 }, 1600);
    expect(bucket.estimate(1600)).toBe(12);
  });

  it('halves the share of refill it counts on after THROTTLED, regains it with successes', async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ clock, initialBucket: { maximumAvailable: 100, restoreRate: 10 }, floorShare: 0, throttleMarginMs: 0, shareIncrease: 0.25 });
    (await pacer.acquire(10)).settle(status(0));
    pacer.throttled(await pacer.acquire(0), status(0), null);
    expect(pacer.stats.share).toBe(0.5);
    // With half the refill, 10 points take 2 s instead of 1 s.
    let admitted = false;
    void pacer.acquire(10).then((p) => {
      admitted = true;
      p.settle(status(0));
    });
    await clock.advance(1999);
    expect(admitted).toBe(false);
    await clock.advance(1);
    expect(admitted).toBe(true);
    expect(pacer.stats.share).toBe(0.75);
    const permits = await Promise.all([0, 1, 2, 3].map(() => pacer.acquire(0)));
    for (const permit of permits) pacer.throttled(permit, status(0), null);
    expect(pacer.stats.share).toBe(0.1);
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
