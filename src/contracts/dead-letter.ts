// The DLQ topic's value (schemas/dead-letter.avsc): a record no stage could process, kept with
// the reason and its original bytes, so it can be redriven once the cause is fixed.
import { fail, ok } from '../domain/result.js';
import { asIs, isRecord, type TopicContract } from './topic-contract.js';

export type PipelineStage = 'ingest' | 'mapper' | 'writer';

/** Mirrors schemas/dead-letter.avsc. */
export interface DeadLetter {
  readonly id: string;
  readonly stage: PipelineStage;
  readonly reason: string;
  readonly key: string | null;
  readonly originTopic: string;
  readonly originPartition: number;
  /** Offset as a decimal string; "-1" when the record never had one (ingest). */
  readonly originOffset: string;
  readonly payload: Buffer;
  /** Epoch milliseconds. */
  readonly failedAt: number;
  readonly attempts: number;
}

/** Where a record came from and what it held: what a stage that fails it puts in the letter. */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  /** Decimal string, as kafkajs gives it. */
  readonly offset: string;
  readonly key: string | null;
  /** The value exactly as it was on its topic. */
  readonly value: Buffer | null;
  /** Its record headers (the trace context travels in them); not kept in dead letters. */
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

/** A webhook that never reached a topic (ingest): it has no partition or offset. */
export function webhookSource(body: Buffer): SourceRecord {
  return { topic: 'webhook', partition: -1, offset: '-1', key: null, value: body };
}

/**
 * The letter for a failed record. Its id is deterministic (`{stage}:{topic}/{partition}/{offset}`,
 * or the given one): a record failed again after a restart yields the same letter.
 */
export function deadLetterFor(stage: PipelineStage, record: SourceRecord, reason: string, opts: { readonly id?: string; readonly now?: number } = {}): DeadLetter {
  return {
    id: opts.id ?? `${stage}:${record.topic}/${record.partition}/${record.offset}`,
    stage,
    reason,
    key: record.key,
    originTopic: record.topic,
    originPartition: record.partition,
    originOffset: record.offset,
    payload: record.value ?? Buffer.alloc(0),
    failedAt: opts.now ?? Date.now(),
    attempts: 1,
  };
}

export const deadLetterContract: TopicContract<DeadLetter> = {
  topic: 'dlq',
  schemaFile: 'dead-letter.avsc',
  recordType: 'DeadLetter',
  read: (decoded) => {
    if (!isRecord(decoded) || typeof decoded.id !== 'string' || typeof decoded.stage !== 'string' || !Buffer.isBuffer(decoded.payload)) {
      return fail('value: decoded record is not a DeadLetter');
    }
    return ok(decoded as unknown as DeadLetter);
  },
  write: asIs,
};
