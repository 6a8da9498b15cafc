// A mirror of one store's leaky bucket (Shopify's cost-based limit), built only from what
// the server reports. Pure: time is passed in.
import type { ThrottleStatus } from './call-result.js';

export interface BucketShape {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
}

export class TokenBucketMirror {
  private maximum: number;
  private restoreRate: number;
  /** Server-reported level at `observedAt` (ms). */
  private level: number;
  private observedAt: number;
  /** False while the level is only the initial guess. */
  private known = false;

  constructor(shape: BucketShape, now: number) {
    this.maximum = shape.maximumAvailable;
    this.restoreRate = shape.restoreRate;
    this.level = shape.maximumAvailable;
    this.observedAt = now;
  }

  /**
   * Estimated points available at `now`. `share` (0..1] is the part of the refill this
   * process counts on: less than 1 when other clients of the store take the rest.
   */
  estimate(now: number, share = 1): number {
    const seconds = Math.max(0, now - this.observedAt) / 1000;
    return Math.min(this.maximum, this.level + seconds * this.restoreRate * share);
  }

  get shape(): BucketShape {
    return { maximumAvailable: this.maximum, restoreRate: this.restoreRate };
  }

  get isKnown(): boolean {
    return this.known;
  }

  /**
   * Adopts the server's throttleStatus. Replies can arrive in another order than the server
   * processed them, so a reading may describe older, fuller state. The bucket cannot gain more
   * than restoreRate per second, so a reading above the last one plus that refill is stale
   * and is capped there: out-of-order replies never raise the level past what is possible.
   */
  observe(status: ThrottleStatus, now: number): void {
    const upperBound = this.known ? this.estimate(now) : Number.POSITIVE_INFINITY;
    this.maximum = status.maximumAvailable;
    this.restoreRate = status.restoreRate;
    this.level = Math.min(status.currentlyAvailable, upperBound, status.maximumAvailable);
    this.observedAt = now;
    this.known = true;
  }
}
