// Paces one source store's Admin API calls for the whole process: every request waits
// until the mirrored bucket holds its cost (plus a floor), reserving it locally so
// concurrent requests cannot all fire into the same points.
import type { CallCost } from './call-result.js';
import type { Clock } from '../shared/clock.js';
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
  /**
   * Cost this process may have in flight, as a share of the bucket (default 10 %). Readings
   * only show other instances' spending once our requests come back: bounding what we spend
   * blind bounds how far instances can oversubscribe the bucket together.
   */
  readonly maxInFlightShare?: number;
  /**
   * Share of the refill counted on after a THROTTLED reply (halved each time, at least this):
   * how instances sharing a store back off so that together they stay under its budget.
   */
  readonly minShare?: number;
  /** Share regained per successful reply (additive increase). */
  readonly shareIncrease?: number;
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
  /**
   * Part of the restore rate this process plans with: AIMD — halved on THROTTLED (someone
   * else took points we counted on), regained slowly with each successful reply.
   */
  private share = 1;
  private readonly minShare: number;
  private readonly maxInFlightShare: number;
  private readonly shareIncrease: number;
  private waitedMs = 0;
  private settledWaiters: (() => void)[] = [];

  constructor(options: PacerOptions) {
    this.clock = options.clock;
    this.bucket = new TokenBucketMirror(options.initialBucket ?? STANDARD_PLAN, this.clock.now());
    this.floorShare = options.floorShare ?? 0.05;
    this.minShare = options.minShare ?? 0.1;
    this.maxInFlightShare = options.maxInFlightShare ?? 0.1;
    this.shareIncrease = options.shareIncrease ?? 0.02;
    this.throttleMarginMs = options.throttleMarginMs ?? 100;
    this.random = options.random ?? Math.random;
    this.hooks = options.hooks ?? {};
  }

  /** Estimated points this process may still spend now. */
  available(): number {
    return this.bucket.estimate(this.clock.now(), this.share) - this.reserved;
  }

  get stats(): { readonly throttled: number; readonly waitedMs: number; readonly reserved: number; readonly share: number } {
    return { throttled: this.throttledCount, waitedMs: this.waitedMs, reserved: this.reserved, share: this.share };
  }

  /**
   * Waits until `cost` points (above the floor) are available, then reserves them. An abort of
   * `signal` ends the wait at once with `signal.reason` (nothing reserved).
   */
  async acquire(cost: number, signal?: AbortSignal): Promise<Permit> {
    const started = this.clock.now();
    for (;;) {
      signal?.throwIfAborted();
      if (this.mustAwaitReply(cost)) {
        await this.untilSettledOrAborted(signal);
        continue;
      }
      const wait = this.waitFor(cost);
      if (wait <= 0) break;
      await this.clock.sleep(wait, signal);
    }
    const waited = this.clock.now() - started;
    if (waited > 0) {
      this.waitedMs += waited;
      this.hooks.onWait?.(waited);
    }
    return this.admit(cost);
  }

  private untilSettledOrAborted(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.settledWaiters.push(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  /**
   * After a THROTTLED reply: adopt its throttleStatus and hold every request of this store
   * for as long as Shopify implies — (cost − currentlyAvailable) / restoreRate — plus a
   * jittered margin so instances sharing the store do not all come back at once.
   */
  throttled(permit: Permit, cost: CallCost | null, retryAfterMs: number | null): number {
    this.throttledCount += 1;
    this.share = Math.max(this.minShare, this.share / 2);
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

  /**
   * True while this request must wait for a reply rather than for time: before the first reply
   * (N concurrent requests would all trust a guessed bucket, so one probes alone), and while
   * our in-flight cost is at its bound. One request is always let through, however large.
   */
  private mustAwaitReply(cost: number): boolean {
    if (this.reserved === 0) return false;
    return !this.bucket.isKnown || this.reserved + cost > this.bucket.shape.maximumAvailable * this.maxInFlightShare;
  }

  private waitFor(cost: number): number {
    const now = this.clock.now();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    const maximum = this.bucket.shape.maximumAvailable;
    const floor = maximum * this.floorShare;
    // A request bigger than the bucket (minus floor) can never fit: let it go when full.
    const needed = Math.min(cost + floor, maximum);
    const deficit = needed - this.available();
    if (deficit <= 0) return 0;
    return Math.ceil((deficit / (this.bucket.shape.restoreRate * this.share)) * 1000);
  }

  private admit(cost: number): Permit {
    const sentAt = this.clock.now();
    this.reserved += cost;
    this.reportLevel();
    let settled = false;
    return {
      cost,
      sentAt,
      settle: (reported, throttled = false) => {
        if (settled) return;
        settled = true;
        this.reserved -= cost;
        if (!throttled && reported) this.share = Math.min(1, this.share + this.shareIncrease);
        if (reported?.throttleStatus) {
          this.bucket.observe(reported.throttleStatus, this.clock.now());
        }
        this.reportLevel();
        this.wakeSettledWaiters();
      },
    };
  }

  private wakeSettledWaiters(): void {
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const wake of waiters) wake();
  }

  private reportLevel(): void {
    this.hooks.onLevel?.(this.available());
  }
}
