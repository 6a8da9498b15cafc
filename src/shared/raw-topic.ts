// Writing to the raw topic: ingest's webhooks and backfill/reconcile/redrive records alike.
import { recordKey } from '../domain/keys.js';
import type { RawWebhookEnvelope } from '../contracts/raw-envelope.js';
import type { DeadLetter } from '../contracts/dead-letter.js';
import type { BatchingProducer } from './kafka/batching-producer.js';
import type { TopicNames } from './kafka/topics.js';
import { TimeoutError } from './errors.js';
import type { TopicCodec } from './registry/schemas.js';

export { TimeoutError };

export class RawPublisher {
  constructor(
    private readonly producer: BatchingProducer,
    private readonly topics: TopicNames,
    private readonly envelopes: TopicCodec<RawWebhookEnvelope>,
    private readonly deadLetters: TopicCodec<DeadLetter>,
  ) {}

  /** Resolves when the envelope is durable; rejects on Kafka failure or after `timeoutMs`. */
  /** `headers`: e.g. the trace context (src/shared/tracing.ts). */
  async publish(envelope: RawWebhookEnvelope, timeoutMs: number, headers?: Record<string, string>): Promise<void> {
    const value = this.envelopes.encode(envelope);
    const key = recordKey(envelope.shop, envelope.originKind, envelope.originId);
    await withTimeout(this.producer.send({ topic: this.topics.raw, key, value, ...(headers ? { headers } : {}) }), timeoutMs);
  }

  async publishDeadLetter(letter: DeadLetter, timeoutMs: number): Promise<void> {
    const value = this.deadLetters.encode(letter);
    await withTimeout(this.producer.send({ topic: this.topics.dlq, key: letter.key ?? letter.id, value }), timeoutMs);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no acknowledgement within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
