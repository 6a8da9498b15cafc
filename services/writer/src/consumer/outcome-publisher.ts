// Makes one record's outcomes durable: its sync events on the events topic (keyed like the
// input) and, for a permanent failure, a DeadLetter with the original bytes on the DLQ —
// acknowledged by all in-sync replicas before the record's offset may be committed.
import type { DraftOrderSyncEvent } from '../../../../src/contracts/sync-event.js';
import { deadLetterFor, type DeadLetter, type SourceRecord } from '../../../../src/contracts/dead-letter.js';
import type { BatchingProducer } from '../../../../src/shared/kafka/batching-producer.js';
import type { TopicNames } from '../../../../src/shared/kafka/topics.js';
import type { TopicCodec } from '../../../../src/shared/registry/schemas.js';
import type { WriterMetrics } from '../metrics.js';

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
  async publish(origin: SourceRecord, events: readonly DraftOrderSyncEvent[], dlqReason: string | null): Promise<void> {
    const { producer, topics } = this.deps;
    const sends: Promise<void>[] = [];
    for (const event of events) {
      sends.push(producer.send({ topic: topics.events, key: event.key, value: this.deps.events.encode(event) }));
    }
    if (dlqReason !== null) {
      // Deterministic id: a record re-run after a restart yields the same letter (consumers can dedupe).
      const letter = deadLetterFor('writer', origin, dlqReason, { now: this.deps.now?.() ?? Date.now() });
      sends.push(producer.send({ topic: topics.dlq, key: letter.key ?? letter.id, value: this.deps.deadLetters.encode(letter) }));
    }
    await Promise.all(sends);
    this.deps.metrics.countEvents(events);
  }
}
