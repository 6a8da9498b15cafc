// Delivers the load to ingest like Shopify does: signed, at a steady rate, and a delivery that
// is not answered 200 (refused, 503, timeout) is retried with backoff a bounded number of times.
import { WEBHOOK_PATH } from '../src/shared/config/index.js';
import { backoffDelay, sleep } from '../src/shared/retry.js';
import { webhookHmac } from '../simulator/webhooks/sign.js';
import { DESTINATION, versionKey, type Delivery } from './load-plan.js';

export interface SenderOptions {
  readonly ingestUrl: string;
  readonly secret: string;
  /** Deliveries started per second. */
  readonly rate: number;
  /** Tries per delivery, the first included (Shopify: 8 over hours; here seconds apart). */
  readonly attempts: number;
  readonly timeoutMs: number;
}

export interface SendStats {
  sent: number;
  answered200: number;
  retries: number;
  gaveUp: number;
}

export class WebhookSender {
  /** versionKey → when its first delivery was answered 200 (ms, performance.now()). */
  readonly acked = new Map<string, number>();
  readonly stats: SendStats = { sent: 0, answered200: 0, retries: 0, gaveUp: 0 };

  constructor(private readonly opts: SenderOptions) {}

  /** Sends every delivery at its slot; resolves when each has been answered 200 or given up. */
  async run(deliveries: readonly Delivery[], onProgress: (done: number) => void = () => undefined): Promise<void> {
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < deliveries.length; i++) {
      const wait = started + (i * 1000) / this.opts.rate - performance.now();
      if (wait > 0) await sleep(wait);
      inFlight.push(this.deliver(deliveries[i]!));
      onProgress(i + 1);
    }
    await Promise.all(inFlight);
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { version } = delivery;
    const headers = {
      'content-type': 'application/json',
      'x-shopify-topic': version.topic,
      'x-shopify-shop-domain': DESTINATION,
      'x-shopify-api-version': '2026-10',
      'x-shopify-webhook-id': delivery.webhookId,
      'x-shopify-hmac-sha256': webhookHmac(this.opts.secret, version.body),
    };
    this.stats.sent++;
    for (let attempt = 0; attempt < this.opts.attempts; attempt++) {
      if (attempt > 0) {
        this.stats.retries++;
        await sleep(backoffDelay({ baseDelayMs: 250, maxDelayMs: 4000 }, attempt - 1));
      }
      const status = await fetch(`${this.opts.ingestUrl}${WEBHOOK_PATH}`, { method: 'POST', body: version.body, headers, signal: AbortSignal.timeout(this.opts.timeoutMs) }).then(
        async (res) => {
          await res.arrayBuffer();
          return res.status;
        },
        () => 0,
      );
      if (status === 200) {
        this.stats.answered200++;
        const key = versionKey(version.key, version.updatedAt);
        if (!this.acked.has(key)) this.acked.set(key, performance.now());
        return;
      }
    }
    this.stats.gaveUp++;
  }
}
