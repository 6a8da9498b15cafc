// A clock that runs with real time but can be moved forward a whole second at once, so a test
// puts records into chosen updated_at seconds without waiting. It never goes back (the
// simulator's buckets and the writer's versions stay monotonic).
import type { Clock } from '../../simulator/core/clock.js';

export class SteppedClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  /**
   * Runs `fn` (synchronously) with time stopped at the start of the next whole second, so all it
   * creates shares that updated_at second; time then runs on from there. Returns the second.
   */
  inNextSecond(fn: () => void): number {
    const second = Math.floor(this.now() / 1000) + 1;
    this.frozenAt = second * 1000;
    try {
      fn();
    } finally {
      this.offsetMs = this.frozenAt - Date.now();
      this.frozenAt = null;
    }
    return second;
  }
}
