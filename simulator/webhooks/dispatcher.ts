// Delivers store events to subscribed addresses the way Shopify does: signed REST JSON, one
// delivery per subscription (restricted to its includeFields), retried on failure (non-2xx or
// timeout) on Shopify's schedule compressed by `retryScale`, with per-shop faults (duplicates,
// drops, hold & release, delays). Each attempt goes to the subscription as it is then: deleted →
// cancelled, address changed → sent to the new one. Keeps a log of every delivery so tests can
// wait for and inspect them.
import { randomUUID } from 'node:crypto';
import type { StoreEvent, Store } from '../store/store.js';
import type { WebhookTopic } from '../store/model.js';
import type { WebhookFaultPlan } from './behaviour.js';
import { projectFields } from './include-fields.js';
import { postWebhook, type PostResult } from './post.js';
import { DELIVERY_TIMEOUT_MS, SHOPIFY_RETRY_DELAYS_MS } from './schedule.js';
import { webhookHmac } from './sign.js';

/**
 * `debounced`: same body as the subscription's previous delivery within the debounce window
 * (Shopify drops those). `cancelled`: the subscription was deleted before the attempt.
 */
export type DeliveryState =
  | 'scheduled'
  | 'in_flight'
  | 'retry_scheduled'
  | 'held'
  | 'delivered'
  | 'failed'
  | 'dropped'
  | 'debounced'
  | 'cancelled';

export interface DeliveryAttempt {
  at: number;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  /** X-Shopify-Webhook-Id: one per delivery (its retries reuse it; a duplicate gets a new one). */
  webhookId: string;
  /** X-Shopify-Event-Id: shared by every delivery of the event. */
  eventId: string;
  shop: string;
  topic: WebhookTopic;
  subscriptionId: number;
  uri: string;
  apiVersion: string;
  triggeredAt: string;
  rawBody: string;
  headers: Record<string, string>;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  duplicate: boolean;
}

export interface DispatcherShop {
  store: Store;
  webhookSecret: string;
  webhookFaults: WebhookFaultPlan;
}

export interface DispatcherOptions {
  /** Multiplies Shopify's retry delays (e.g. 0.001 turns 4 h into 14 s). Default 1. */
  retryScale?: number;
  /** Replaces Shopify's schedule entirely (ms, one entry per retry). */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  /** Remove API-created subscriptions whose deliveries keep failing, as Shopify does. Default true. */
  removeFailingSubscriptions?: boolean;
  /**
   * Shopify drops a delivery whose body equals the subscription's previous one within "a small
   * time window" (it does not publish the size). Applied to subscriptions with includeFields,
   * measured on the store clock. Default 5000 ms; 0 turns it off.
   */
  debounceWindowMs?: number;
}

export const DEFAULT_DEBOUNCE_WINDOW_MS = 5000;

export interface DeliveryFilter {
  shop?: string;
  topic?: WebhookTopic;
  state?: DeliveryState;
  eventId?: string;
}

const ACTIVE: readonly DeliveryState[] = ['scheduled', 'in_flight', 'retry_scheduled'];

export class WebhookDispatcher {
  private readonly log: Delivery[] = [];
  private readonly timers = new Map<Delivery, NodeJS.Timeout>();
  /** Last body per subscription (`shop/id`) and when its event happened, for debouncing. */
  private readonly lastBodies = new Map<string, { rawBody: string; at: number }>();
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly shopOf: (shop: string) => DispatcherShop | undefined,
    private options: DispatcherOptions = {},
  ) {}

  configure(options: DispatcherOptions): void {
    this.options = { ...this.options, ...options };
  }

  private get delays(): readonly number[] {
    const scale = this.options.retryScale ?? 1;
    return (this.options.retryDelaysMs ?? SHOPIFY_RETRY_DELAYS_MS).map((ms) => ms * scale);
  }

  /** Fans one store event out to the shop's subscriptions for its topic. */
  dispatch(event: StoreEvent): void {
    if (this.closed) return;
    const shop = this.shopOf(event.shop);
    if (!shop) return;
    const eventId = randomUUID();
    const triggeredAt = new Date(event.triggeredAt).toISOString();
    for (const subscription of shop.store.subscriptionsFor(event.topic)) {
      const rawBody = JSON.stringify(projectFields(event.body, subscription.includeFields));
      const debounced = this.debounced(`${event.shop}/${subscription.id}`, subscription.includeFields.length > 0, rawBody, event.triggeredAt);
      const plan = debounced ? { drop: false, hold: false, duplicates: 0, delayMs: 0 } : shop.webhookFaults.plan();
      const make = (duplicate: boolean): Delivery => {
        const webhookId = randomUUID();
        const headers: Record<string, string> = {
          'Content-Type': 'application/json',
          'User-Agent': 'Shopify-Captain-Hook',
          Accept: '*/*',
          'X-Shopify-Topic': event.topic,
          'X-Shopify-Hmac-Sha256': webhookHmac(shop.webhookSecret, rawBody),
          'X-Shopify-Shop-Domain': event.shop,
          'X-Shopify-API-Version': subscription.apiVersion,
          'X-Shopify-Webhook-Id': webhookId,
          'X-Shopify-Event-Id': eventId,
          'X-Shopify-Triggered-At': triggeredAt,
        };
        if (subscription.name !== null) headers['X-Shopify-Name'] = subscription.name;
        return {
          webhookId,
          eventId,
          shop: event.shop,
          topic: event.topic,
          subscriptionId: subscription.id,
          uri: subscription.uri,
          apiVersion: subscription.apiVersion,
          triggeredAt,
          rawBody,
          headers,
          state: debounced ? 'debounced' : plan.drop ? 'dropped' : plan.hold ? 'held' : 'scheduled',
          attempts: [],
          duplicate,
        };
      };
      const deliveries = [make(false), ...Array.from({ length: plan.duplicates }, () => make(true))];
      for (const delivery of deliveries) {
        this.log.push(delivery);
        if (delivery.state === 'scheduled') this.schedule(delivery, plan.delayMs);
      }
    }
  }

  /** Remembers this body; true when it repeats the previous one within the window. */
  private debounced(key: string, applies: boolean, rawBody: string, at: number): boolean {
    const window = this.options.debounceWindowMs ?? DEFAULT_DEBOUNCE_WINDOW_MS;
    const last = this.lastBodies.get(key);
    this.lastBodies.set(key, { rawBody, at });
    return applies && window > 0 && last !== undefined && last.rawBody === rawBody && at - last.at <= window;
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      void this.attempt(delivery);
      return;
    }
    this.timers.set(
      delivery,
      setTimeout(() => {
        this.timers.delete(delivery);
        void this.attempt(delivery);
      }, delayMs),
    );
  }

  private async attempt(delivery: Delivery): Promise<void> {
    if (this.closed) return;
    const subscription = this.shopOf(delivery.shop)?.store.subscription(delivery.subscriptionId);
    if (!subscription) {
      delivery.state = 'cancelled';
      this.notify();
      return;
    }
    delivery.uri = subscription.uri; // an updated address takes the pending deliveries along
    delivery.state = 'in_flight';
    const started = Date.now();
    const result: PostResult = await postWebhook(delivery.uri, delivery.headers, delivery.rawBody, this.options.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    delivery.attempts.push({ at: started, status: result.status, error: result.error, durationMs: Date.now() - started });
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300 && !result.error;
    if (ok) {
      delivery.state = 'delivered';
    } else {
      const retryIndex = delivery.attempts.length - 1;
      const delay = this.delays[retryIndex];
      if (delay !== undefined && !this.closed) {
        delivery.state = 'retry_scheduled';
        this.schedule(delivery, Math.max(1, delay));
      } else {
        delivery.state = 'failed';
        this.giveUp(delivery);
      }
    }
    this.notify();
  }

  private giveUp(delivery: Delivery): void {
    if (this.options.removeFailingSubscriptions === false) return;
    const shop = this.shopOf(delivery.shop);
    const subscription = shop?.store.subscription(delivery.subscriptionId);
    if (shop && subscription?.createdViaApi) shop.store.removeSubscription(subscription.id);
  }

  private notify(): void {
    if (this.active().length > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private active(): Delivery[] {
    return this.log.filter((d) => ACTIVE.includes(d.state));
  }

  deliveries(filter: DeliveryFilter = {}): Delivery[] {
    return this.log.filter(
      (d) =>
        (filter.shop === undefined || d.shop === filter.shop) &&
        (filter.topic === undefined || d.topic === filter.topic) &&
        (filter.state === undefined || d.state === filter.state) &&
        (filter.eventId === undefined || d.eventId === filter.eventId),
    );
  }

  /**
   * Resolves once no delivery is scheduled, in flight or waiting for a retry (held and dropped
   * ones do not count). Rejects after `timeoutMs`, naming what is still pending.
   */
  idle(timeoutMs = 15_000): Promise<void> {
    if (this.active().length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        const pending = this.active().map((d) => `${d.topic} → ${d.uri} (${d.state}, ${d.attempts.length} attempts)`);
        reject(new Error(`webhook deliveries still pending after ${timeoutMs} ms: ${pending.join('; ')}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  /**
   * Sends held deliveries, one after another in the given order (default: newest first, i.e.
   * out of order), each waiting for its first attempt to finish. Returns how many were released.
   */
  async release(filter: { shop?: string; order?: 'fifo' | 'reverse' } = {}): Promise<number> {
    const held = this.deliveries({ shop: filter.shop, state: 'held' });
    const ordered = (filter.order ?? 'reverse') === 'reverse' ? [...held].reverse() : held;
    for (const delivery of ordered) delivery.state = 'scheduled';
    for (const delivery of ordered) await this.attempt(delivery);
    return ordered.length;
  }

  /** Runs every scheduled retry now instead of waiting for its delay. */
  retryNow(): void {
    for (const [delivery, timer] of this.timers) {
      clearTimeout(timer);
      this.timers.delete(delivery);
      void this.attempt(delivery);
    }
  }

  /** Forgets the log (pending timers are cancelled). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.log.length = 0;
    this.lastBodies.clear();
    this.notify();
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const d of this.log) if (ACTIVE.includes(d.state) && d.state !== 'in_flight') d.state = 'failed';
    this.notify();
  }
}
