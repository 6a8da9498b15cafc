// Records no stage could process, kept with the reason on the DLQ topic (schemas/dead-letter.avsc).
export type PipelineStage = 'ingest' | 'mapper' | 'writer';

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
