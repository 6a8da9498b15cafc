import { describe, expect, it } from 'vitest';
import { byPartition, longestGap, resumedOnEvery } from './recovery.js';

describe('time to resume', () => {
  it('is the longest gap any partition had from the fault on, counted from the fault', () => {
    const arrivals = byPartition([
      ...[0, 500, 1000, 1500, 2000, 2500].map((at) => ({ partition: 0, at })),
      ...[0, 400, 7400, 7800].map((at) => ({ partition: 1, at })),
    ]);
    // Partition 1 stalled from 400 (before the fault at 1000) to 7400: 6.4 s from the fault.
    expect(longestGap(arrivals, 1000, 10_000)).toEqual({ seconds: 6.4, endedAt: 7400, partition: 1 });
  });

  it('leaves out gaps that start after the window and partitions with nothing after the fault', () => {
    const arrivals = byPartition([
      ...[0, 1100, 1200, 9000].map((at) => ({ partition: 0, at })),
      { partition: 1, at: 10 },
    ]);
    expect(longestGap(arrivals, 1000, 1150).seconds).toBeCloseTo(0.1);
  });

  it('clipped, counts a gap still open at the end of the window only up to it (the rest is the next fault\'s)', () => {
    const arrivals = byPartition([0, 1200, 1400, 1900, 8000].map((at) => ({ partition: 0, at })));
    // The next fault came at 2000, 100 ms into the gap 1900 → 8000.
    expect(longestGap(arrivals, 1000, 2000, true)).toEqual({ seconds: 0.5, endedAt: 1900, partition: 0 });
    expect(longestGap(arrivals, 1000, 2000).seconds).toBeCloseTo(6.1);
  });

  it('has resumed once every partition had an outcome after the fault', () => {
    const outcomes = [
      { partition: 0, at: 100 },
      { partition: 1, at: 200 },
      { partition: 0, at: 1500 },
    ];
    expect(resumedOnEvery(outcomes, new Set([0, 1]), 1000)).toBe(false);
    expect(resumedOnEvery([...outcomes, { partition: 1, at: 1600 }], new Set([0, 1]), 1000)).toBe(true);
  });
});
