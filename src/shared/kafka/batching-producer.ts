// Many concurrent callers, few produce requests: records queue while a batch is in flight and
// go out together in the next one, so throughput does not hinge on one round trip per record.
import type { Message, Producer } from 'kafkajs';

export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Record<string, string>;
}

interface Pending {
  readonly record: OutgoingRecord;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export interface BatchingOptions {
  /** How long the first record of an idle producer waits for company. */
  readonly lingerMs: number;
  readonly maxBatch: number;
  /** Called after every acknowledged or failed batch. */
  readonly onBatch?: (size: number, seconds: number, error: Error | null) => void;
  /** A fresh producer (new producer id) for one whose idempotence state is broken; see `brokenProducer`. */
  readonly renew?: () => Promise<Producer>;
}

/**
 * Errors after which kafkajs' idempotent producer never sends again: a request that timed out on
 * our side (e.g. acks=all waiting for a dead follower to leave the ISR) may still have been
 * written, and kafkajs — unlike the Java client, which bumps the epoch — then sends the next batch
 * with the same base sequence, forever OUT_OF_ORDER_SEQUENCE_NUMBER. Only a new producer id helps;
 * a record it re-sends after a failure is a duplicate the callers already tolerate (a 503 is retried).
 */
const BROKEN_PRODUCER = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

export function brokenProducer(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    if ('type' in e && typeof e.type === 'string' && BROKEN_PRODUCER.has(e.type)) return true;
    e = 'cause' in e ? e.cause : undefined;
  }
  return false;
}

export class BatchingProducer {
  private queue: Pending[] = [];
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private producer: Producer,
    private readonly opts: BatchingOptions,
  ) {}

  /** Resolves once the record is acknowledged by all in-sync replicas (acks=all). */
  send(record: OutgoingRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.schedule();
    });
  }

  /** Sends everything queued and waits for it (used on shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight) {
      if (!this.inFlight) this.flush();
      await this.inFlight?.catch(() => undefined);
    }
  }

  get queued(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.inFlight) return; // the in-flight batch's completion flushes the rest
    if (this.queue.length >= this.opts.maxBatch) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.opts.lingerMs);
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.opts.maxBatch);
    const started = process.hrtime.bigint();
    this.inFlight = this.producer
      .sendBatch({ acks: -1, topicMessages: groupByTopic(batch) })
      .then(
        () => {
          this.report(batch.length, started, null);
          for (const p of batch) p.resolve();
        },
        async (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          this.report(batch.length, started, error);
          for (const p of batch) p.reject(error);
          // The next batch waits for the new producer; if renewing fails, the old one is kept.
          if (this.opts.renew && brokenProducer(err)) this.producer = await this.opts.renew().catch(() => this.producer);
        },
      )
      .finally(() => {
        this.inFlight = null;
        if (this.queue.length > 0) this.flush();
      });
  }

  private report(size: number, started: bigint, error: Error | null): void {
    this.opts.onBatch?.(size, Number(process.hrtime.bigint() - started) / 1e9, error);
  }
}

function groupByTopic(batch: readonly Pending[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const { record } of batch) {
    let list = byTopic.get(record.topic);
    if (!list) byTopic.set(record.topic, (list = []));
    list.push({ key: record.key, value: record.value, ...(record.headers ? { headers: record.headers } : {}) });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
