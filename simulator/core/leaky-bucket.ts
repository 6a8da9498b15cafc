// Shopify's cost-based rate limit: a bucket of `maximumAvailable` points that refills at
// `restoreRate` points per second. A request reserves its requested cost up front and gets the
// unused part back after execution. `timeScale` > 1 refills faster (benchmarks) — the reported
// restoreRate is scaled the same way so clients pacing by throttleStatus stay correct.
import type { Clock } from './clock.js';

export interface BucketLimits {
  maximumAvailable: number;
  /** Points per second at timeScale 1. */
  restoreRate: number;
  /** Multiplies the refill speed; 1 = real time. */
  timeScale: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export const STANDARD_PLAN: BucketLimits = { maximumAvailable: 2000, restoreRate: 100, timeScale: 1 };
export const ADVANCED_PLAN: BucketLimits = { maximumAvailable: 4000, restoreRate: 200, timeScale: 1 };
export const PLUS_PLAN: BucketLimits = { maximumAvailable: 20000, restoreRate: 1000, timeScale: 1 };

export class LeakyBucket {
  private available: number;
  private lastRefill: number;

  constructor(
    private limits: BucketLimits,
    private readonly clock: Clock,
  ) {
    this.available = limits.maximumAvailable;
    this.lastRefill = clock.now();
  }

  get effectiveRestoreRate(): number {
    return this.limits.restoreRate * this.limits.timeScale;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.lastRefill) / 1000;
    this.available = Math.min(this.limits.maximumAvailable, this.available + elapsed * this.effectiveRestoreRate);
    this.lastRefill = now;
  }

  /** Takes `cost` points if available; false (nothing taken) when the request must be throttled. */
  tryReserve(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Gives back points reserved but not used. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.limits.maximumAvailable, this.available + Math.max(0, points));
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.limits.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.effectiveRestoreRate,
    };
  }

  /** New limits; the current level is kept (capped at the new maximum) unless `fill` is set. */
  configure(limits: Partial<BucketLimits>, fill = false): void {
    this.refill();
    this.limits = { ...this.limits, ...limits };
    this.available = fill ? this.limits.maximumAvailable : Math.min(this.available, this.limits.maximumAvailable);
  }

  /** Sets the current level directly (tests: start a scenario with an almost empty bucket). */
  setAvailable(points: number): void {
    this.refill();
    this.available = Math.max(0, Math.min(this.limits.maximumAvailable, points));
  }

  get currentLimits(): BucketLimits {
    return { ...this.limits };
  }
}
