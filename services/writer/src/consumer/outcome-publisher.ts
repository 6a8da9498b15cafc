// Makes one record's outcomes durable: its sync events on the events topic (keyed like the
// input) and, for a permanent failure, a DeadLetter with the original bytes on the DLQ —
// acknowledged by all in-sync replicas before the record's offset may be committed.
import type { DraftOrderSyncEvent } from '../../../../src/domain/model.js';
import type { DeadLetter } from '../../../../src/contracts/dead-letter.js';
import type { BatchingProducer } from '../../../../src/shared/kafka/batching-producer.js';
import type { TopicNames } from '../../../../src/shared/kafka/topics.js';
import type { TopicCodec } from '../../../../src/shared/registry/schemas.js';
import type { WriterMetrics } from '../metrics.js';

/** Where an input record came from, for the dead letter. */
export interface Origin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** The record's value exactly as it was on the mapped topic. */
  readonly value: Buffer;
}

export interface OutcomePublisherDeps {
  readonly producer: BatchingProducer;
  readonly topics: TopicNames;
  readonly events: TopicCodec<DraftOrderSyncEvent>;
  readonly deadLetters: TopicCodec<DeadLetter>;
  readonly metrics: WriterMetrics;
  readonly now?: () => number;
}

export class OutcomePublisher {
  constructor(private readonly deps: OutcomePublisherDeps) {}

  /** Resolves once every event and the dead letter (if any) are acknowledged. */
  async publish(origin: Origin, events: readonly DraftOrderSyncEvent[], dlqReason: string | null): Promise<void> {
    const { producer, topics } = this.deps;
    const sends: Promise<void>[] = [];
    for (const event of events) {
      sends.push(producer.send({ topic: topics.events, key: event.key, value: this.deps.events.encode(event) }));
    }
    if (dlqReason !== null) {
      const letter = writerDeadLetter(origin, dlqReason, this.deps.now?.() ?? Date.now());
      sends.push(producer.send({ topic: topics.dlq, key: letter.key ?? letter.id, value: this.deps.deadLetters.encode(letter) }));
    }
    await Promise.all(sends);
    this.deps.metrics.countEvents(events);
  }
}

export function writerDeadLetter(origin: Origin, reason: string, now: number): DeadLetter {
  return {
    // Deterministic: a record re-run after a restart yields the same letter id (consumers can dedupe).
    id: `writer:${origin.topic}/${origin.partition}/${origin.offset}`,
    stage: 'writer',
    reason,
    key: origin.key,
    originTopic: origin.topic,
    originPartition: origin.partition,
    originOffset: origin.offset,
    payload: origin.value,
    failedAt: now,
    attempts: 1,
  };
}
