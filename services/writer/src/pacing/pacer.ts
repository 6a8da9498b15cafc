// Paces one source store's Admin API calls for the whole process: every request waits
// until the mirrored bucket holds its cost (plus a floor), reserving it locally so
// concurrent requests cannot all fire into the same points.
import type { CallCost } from '../shopify/call-result.js';
import type { Clock } from './clock.js';
import { TokenBucketMirror, type BucketShape } from './token-bucket.js';

export interface PacerHooks {
  /** Estimated points available after local reservations, whenever it is recomputed. */
  onLevel?(level: number): void;
  /** A request had to wait this long before it could be sent. */
  onWait?(ms: number): void;
  /** The server answered THROTTLED. */
  onThrottled?(): void;
}

export interface PacerOptions {
  readonly clock: Clock;
  /** Bucket assumed until the first reply reports the real one. */
  readonly initialBucket?: BucketShape;
  /**
   * Points left untouched: the slack that lets several writer instances sharing one store's
   * budget see each other's drain before the bucket is empty. Default 5 % of the bucket.
   */
  readonly floorShare?: number;
  /** Extra wait after a THROTTLED reply, in ms, with up to as much again at random. */
  readonly throttleMarginMs?: number;
  readonly random?: () => number;
  readonly hooks?: PacerHooks;
}

/** One admitted request. Settle it exactly once with what the server reported. */
export interface Permit {
  readonly cost: number;
  readonly sentAt: number;
  /** `throttled`: the server refused it, so it cost nothing. */
  settle(cost: CallCost | null, throttled?: boolean): void;
}

const STANDARD_PLAN: BucketShape = { maximumAvailable: 2000, restoreRate: 100 };

export class Pacer {
  private readonly clock: Clock;
  private readonly bucket: TokenBucketMirror;
  private readonly floorShare: number;
  private readonly throttleMarginMs: number;
  private readonly random: () => number;
  private readonly hooks: PacerHooks;
  /** Cost of admitted requests not yet answered. */
  private reserved = 0;
  /** Nobody sends before this time: set by THROTTLED replies, shared by all waiters. */
  private blockedUntil = 0;
  private throttledCount = 0;
  private waitedMs = 0;

  constructor(options: PacerOptions) {
    this.clock = options.clock;
    this.bucket = new TokenBucketMirror(options.initialBucket ?? STANDARD_PLAN, this.clock.now());
    this.floorShare = options.floorShare ?? 0.05;
    this.throttleMarginMs = options.throttleMarginMs ?? 100;
    this.random = options.random ?? Math.random;
    this.hooks = options.hooks ?? {};
  }

  /** Estimated points this process may still spend now. */
  available(): number {
    return this.bucket.estimate(this.clock.now()) - this.reserved;
  }

  get stats(): { readonly throttled: number; readonly waitedMs: number; readonly reserved: number; readonly externalDrain: number } {
    return { throttled: this.throttledCount, waitedMs: this.waitedMs, reserved: this.reserved, externalDrain: this.bucket.drain };
  }

  /** Waits until `cost` points (above the floor) are available, then reserves them. */
  async acquire(cost: number): Promise<Permit> {
    const started = this.clock.now();
    for (;;) {
      const wait = this.waitFor(cost);
      if (wait <= 0) break;
      await this.clock.sleep(wait);
    }
    const waited = this.clock.now() - started;
    if (waited > 0) {
      this.waitedMs += waited;
      this.hooks.onWait?.(waited);
    }
    return this.admit(cost);
  }

  /**
   * After a THROTTLED reply: adopt its throttleStatus and hold every request of this store
   * for as long as Shopify implies — (cost − currentlyAvailable) / restoreRate — plus a
   * jittered margin so instances sharing the store do not all come back at once.
   */
  throttled(permit: Permit, cost: CallCost | null, retryAfterMs: number | null): number {
    this.throttledCount += 1;
    this.hooks.onThrottled?.();
    permit.settle(cost, true);
    const now = this.clock.now();
    const status = cost?.throttleStatus ?? null;
    const needed = cost?.requestedQueryCost ?? permit.cost;
    const rate = status?.restoreRate ?? this.bucket.shape.restoreRate;
    const implied = status ? (Math.max(0, needed - status.currentlyAvailable) / rate) * 1000 : 1000;
    const margin = this.throttleMarginMs * (1 + this.random());
    const wait = Math.max(implied, retryAfterMs ?? 0) + margin;
    this.blockedUntil = Math.max(this.blockedUntil, now + wait);
    this.reportLevel();
    return wait;
  }

  private waitFor(cost: number): number {
    const now = this.clock.now();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    const floor = this.bucket.shape.maximumAvailable * this.floorShare;
    // A request bigger than the bucket (minus floor) can never fit: let it go when full.
    const needed = Math.min(cost + floor, this.bucket.shape.maximumAvailable);
    const deficit = needed - this.available();
    if (deficit <= 0) return 0;
    return Math.ceil((deficit / this.bucket.effectiveRate()) * 1000);
  }

  private admit(cost: number): Permit {
    const sentAt = this.clock.now();
    this.reserved += cost;
    // The server takes the requested cost up front; charging it at send time keeps our own
    // in-flight requests from being mistaken for another client's drain.
    this.bucket.charge(cost);
    this.reportLevel();
    let settled = false;
    return {
      cost,
      sentAt,
      settle: (reported, throttled = false) => {
        if (settled) return;
        settled = true;
        this.reserved -= cost;
        // Refund what the server did not keep: a throttled request costs nothing.
        const actual = throttled ? 0 : reported?.actualQueryCost ?? reported?.requestedQueryCost ?? null;
        if (actual !== null) this.bucket.charge(actual - cost);
        if (reported?.throttleStatus) this.bucket.observe(reported.throttleStatus, sentAt, this.clock.now());
        this.reportLevel();
      },
    };
  }

  private reportLevel(): void {
    this.hooks.onLevel?.(this.available());
  }
}
