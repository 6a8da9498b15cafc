// A raw record the mapper cannot process, as a DeadLetter for the DLQ topic.
import type { DeadLetter } from '../contracts/dead-letter.js';

export interface RecordCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export function mapperDeadLetter(record: RecordCoordinates, reason: string, now = Date.now()): DeadLetter {
  return {
    // Deterministic: a redone batch produces the same letter (only one transaction commits).
    id: `mapper:${record.topic}/${record.partition}/${record.offset}`,
    stage: 'mapper',
    reason,
    key: record.key?.toString('utf8') ?? null,
    originTopic: record.topic,
    originPartition: record.partition,
    originOffset: record.offset,
    payload: record.value ?? Buffer.alloc(0),
    failedAt: now,
    attempts: 1,
  };
}
