// A mirror of one store's leaky bucket (Shopify's cost-based limit), built only from what
// the server reports. Pure: time is passed in.
import type { ThrottleStatus } from '../shopify/call-result.js';

export interface BucketShape {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
}

/** How much of each observed shortfall is attributed to other clients (EWMA weight). */
const DRAIN_SMOOTHING = 0.3;
/** Never assume others take the whole restore rate: we must keep probing to learn. */
const MAX_DRAIN_SHARE = 0.9;

export class TokenBucketMirror {
  private maximum: number;
  private restoreRate: number;
  /** Server-reported level at `observedAt` (ms). */
  private level: number;
  private observedAt: number;
  /** Points/s the bucket loses to clients other than this process (other writer instances). */
  private externalDrain = 0;
  /** Cost this process was charged since the last observation (settled requests). */
  private chargedSinceObservation = 0;
  private lastObservationSentAt = Number.NEGATIVE_INFINITY;

  constructor(shape: BucketShape, now: number) {
    this.maximum = shape.maximumAvailable;
    this.restoreRate = shape.restoreRate;
    this.level = shape.maximumAvailable;
    this.observedAt = now;
  }

  /** Estimated points available at `now`, before local reservations. */
  estimate(now: number): number {
    const seconds = Math.max(0, now - this.observedAt) / 1000;
    return Math.min(this.maximum, this.level + seconds * this.effectiveRate());
  }

  /** Refill rate left for this process once other clients' observed drain is taken out. */
  effectiveRate(): number {
    return Math.max(this.restoreRate * (1 - MAX_DRAIN_SHARE), this.restoreRate - this.externalDrain);
  }

  get shape(): BucketShape {
    return { maximumAvailable: this.maximum, restoreRate: this.restoreRate };
  }

  get drain(): number {
    return this.externalDrain;
  }

  /** Records the cost a request of ours was charged (its actual cost once answered). */
  charge(cost: number): void {
    this.chargedSinceObservation += cost;
  }

  /**
   * Adopts the server's throttleStatus. `sentAt` is when the reporting request was sent:
   * a reply to an older request than the one last adopted describes older server state and
   * is ignored, so out-of-order replies cannot raise the level back up.
   */
  observe(status: ThrottleStatus, sentAt: number, now: number): void {
    if (sentAt < this.lastObservationSentAt) return;
    const seconds = (now - this.observedAt) / 1000;
    const refilled = this.level + seconds * this.restoreRate;
    // Only an unsaturated bucket tells us how much others took; a full one hides it.
    if (seconds > 0.05 && refilled < this.maximum) {
      const expected = refilled - this.chargedSinceObservation;
      const othersRate = Math.max(0, (expected - status.currentlyAvailable) / seconds);
      this.externalDrain = (1 - DRAIN_SMOOTHING) * this.externalDrain + DRAIN_SMOOTHING * othersRate;
    } else if (refilled >= this.maximum) {
      this.externalDrain *= 1 - DRAIN_SMOOTHING;
    }
    this.maximum = status.maximumAvailable;
    this.restoreRate = status.restoreRate;
    this.level = status.currentlyAvailable;
    this.observedAt = now;
    this.chargedSinceObservation = 0;
    this.lastObservationSentAt = sentAt;
  }
}
