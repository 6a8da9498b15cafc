// One transactional producer per consumed partition, with a transactional id stable per
// partition (not per process): whoever owns the partition next — this process after a
// restart, or another instance after a rebalance — fences the previous owner and aborts its
// open transaction before consuming. That is what makes consume→produce exactly once with
// kafkajs, which has no KIP-447 (group-generation) fencing.
import type { Admin, Kafka, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from '../../../src/shared/log.js';

export interface PartitionProducersOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly groupId: string;
  /** `${transactionalIdPrefix}-${topic}-${partition}`. */
  readonly transactionalIdPrefix: string;
  readonly transactionTimeoutMs?: number;
  readonly logger: Logger;
}

export interface AcquiredProducer {
  readonly producer: Producer;
  /**
   * Only for a producer created just now: the group's committed offset of the partition,
   * read after fencing the previous owner (so its last transaction has ended either way).
   * Records below it were already committed and must not be produced again; null = none.
   */
  readonly committedFloor: bigint | null;
}

export interface TransactionOutput {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the next record to consume (last processed + 1). */
  readonly nextOffset: bigint;
  readonly topicMessages: readonly TopicMessages[];
}

/** Broker default max.message.bytes is ~1 MB per record batch; stay well under it per send. */
const MAX_SEND_BYTES = 768 * 1024;
const RECORD_OVERHEAD_BYTES = 64;

export class PartitionProducers {
  private readonly producers = new Map<string, Producer>();

  constructor(private readonly opts: PartitionProducersOptions) {}

  async acquire(topic: string, partition: number): Promise<AcquiredProducer> {
    const name = this.transactionalId(topic, partition);
    const existing = this.producers.get(name);
    if (existing) return { producer: existing, committedFloor: null };
    const producer = this.opts.kafka.producer({
      transactionalId: name,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.opts.transactionTimeoutMs ?? 60_000,
    });
    await producer.connect();
    try {
      // kafkajs registers the transactional id (InitProducerId: fences the previous owner,
      // waits for its transaction to end) on the first transaction(); an empty one ends locally.
      const init = await producer.transaction();
      await init.abort();
      const committedFloor = await this.committedOffset(topic, partition);
      this.producers.set(name, producer);
      this.opts.logger.debug({ transactionalId: name, committedFloor: committedFloor?.toString() }, 'transactional producer ready');
      return { producer, committedFloor };
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** After a failed transaction the producer's state is unknown: start over with a new one. */
  async discard(topic: string, partition: number): Promise<void> {
    const name = this.transactionalId(topic, partition);
    const producer = this.producers.get(name);
    this.producers.delete(name);
    await producer?.disconnect().catch(() => undefined);
  }

  /** Disconnects the producers of partitions this process no longer owns. */
  async retain(assigned: ReadonlyMap<string, readonly number[]>): Promise<void> {
    const keep = new Set<string>();
    for (const [topic, partitions] of assigned) for (const p of partitions) keep.add(this.transactionalId(topic, p));
    const stale = [...this.producers.entries()].filter(([name]) => !keep.has(name));
    for (const [name] of stale) this.producers.delete(name);
    await Promise.all(stale.map(([, producer]) => producer.disconnect().catch(() => undefined)));
  }

  async closeAll(): Promise<void> {
    const all = [...this.producers.values()];
    this.producers.clear();
    await Promise.all(all.map((producer) => producer.disconnect().catch(() => undefined)));
  }

  /** Outputs and the consumed offset, all or nothing. Aborts (best effort) and rethrows on failure. */
  async commit(producer: Producer, output: TransactionOutput): Promise<void> {
    const transaction = await producer.transaction();
    try {
      for (const chunk of chunked(output.topicMessages)) await transaction.sendBatch({ topicMessages: chunk, acks: -1 });
      await transaction.sendOffsets({
        consumerGroupId: this.opts.groupId,
        topics: [{ topic: output.topic, partitions: [{ partition: output.partition, offset: output.nextOffset.toString() }] }],
      });
      await transaction.commit();
    } catch (error) {
      if (transaction.isActive()) await transaction.abort().catch(() => undefined);
      throw error;
    }
  }

  private transactionalId(topic: string, partition: number): string {
    return `${this.opts.transactionalIdPrefix}-${topic}-${partition}`;
  }

  private async committedOffset(topic: string, partition: number): Promise<bigint | null> {
    const [entry] = await this.opts.admin.fetchOffsets({ groupId: this.opts.groupId, topics: [topic] });
    const offset = entry?.partitions.find((p) => p.partition === partition)?.offset;
    return offset === undefined || offset === '-1' ? null : BigInt(offset);
  }
}

/** Splits the outputs into sends of at most MAX_SEND_BYTES, keeping each topic's order. */
function* chunked(topicMessages: readonly TopicMessages[]): Generator<TopicMessages[]> {
  let chunk: TopicMessages[] = [];
  let bytes = 0;
  for (const { topic, messages } of topicMessages) {
    let current: TopicMessages['messages'] = [];
    for (const message of messages) {
      const size = sizeOf(message.key) + sizeOf(message.value) + RECORD_OVERHEAD_BYTES;
      if (bytes + size > MAX_SEND_BYTES && bytes > 0) {
        if (current.length > 0) chunk.push({ topic, messages: current });
        yield chunk;
        chunk = [];
        current = [];
        bytes = 0;
      }
      current.push(message);
      bytes += size;
    }
    if (current.length > 0) chunk.push({ topic, messages: current });
  }
  if (chunk.length > 0) yield chunk;
}

function sizeOf(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
