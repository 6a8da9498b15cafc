// Per-shop webhook delivery faults: duplicates (same event id), drops (never delivered),
// holding deliveries back to release them later in another order, and random delays.
import { seededRandom, type Random } from '../core/random.js';

export interface WebhookFaultOptions {
  /** Share (0..1) of events delivered twice (second delivery: same event id, new webhook id). */
  duplicateRate: number;
  /** Share of deliveries never sent (for reconciliation tests). */
  dropRate: number;
  /** Random delay before the first attempt, 0..maxDelayMs — lets deliveries overtake each other. */
  maxDelayMs: number;
  /** Hold every new delivery until released. */
  holdAll: boolean;
  seed: number;
}

export const NO_WEBHOOK_FAULTS: WebhookFaultOptions = { duplicateRate: 0, dropRate: 0, maxDelayMs: 0, holdAll: false, seed: 1 };

export interface DeliveryPlan {
  drop: boolean;
  hold: boolean;
  duplicates: number;
  delayMs: number;
}

export class WebhookFaultPlan {
  private options: WebhookFaultOptions = { ...NO_WEBHOOK_FAULTS };
  private random: Random = seededRandom(NO_WEBHOOK_FAULTS.seed);
  private dropCount = 0;
  private holdCount = 0;
  private duplicateCount = 0;

  configure(options: Partial<WebhookFaultOptions>): WebhookFaultOptions {
    this.options = { ...this.options, ...options };
    if (options.seed !== undefined) this.random = seededRandom(options.seed);
    return { ...this.options };
  }

  get current(): WebhookFaultOptions {
    return { ...this.options };
  }

  reset(): void {
    this.options = { ...NO_WEBHOOK_FAULTS };
    this.random = seededRandom(NO_WEBHOOK_FAULTS.seed);
    this.dropCount = this.holdCount = this.duplicateCount = 0;
  }

  dropNext(count = 1): void {
    this.dropCount += count;
  }
  holdNext(count = 1): void {
    this.holdCount += count;
  }
  duplicateNext(count = 1): void {
    this.duplicateCount += count;
  }

  /** Decides the fate of one event's delivery to one subscription. */
  plan(): DeliveryPlan {
    const o = this.options;
    const draws = [this.random(), this.random(), this.random()] as const;
    const drop = this.dropCount > 0 ? (this.dropCount--, true) : draws[0] < o.dropRate;
    const hold = !drop && (this.holdCount > 0 ? (this.holdCount--, true) : o.holdAll);
    const duplicate = !drop && (this.duplicateCount > 0 ? (this.duplicateCount--, true) : draws[1] < o.duplicateRate);
    return { drop, hold, duplicates: duplicate ? 1 : 0, delayMs: o.maxDelayMs > 0 ? Math.floor(draws[2] * o.maxDelayMs) : 0 };
  }
}
