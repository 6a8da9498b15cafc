// Reading a topic without touching any live consumer group: a throw-away group whose start
// offsets are set (admin.setOffsets) before it joins, deleted afterwards.
import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';

/** Offsets [start, end) of one partition. */
export interface PartitionRange {
  readonly partition: number;
  readonly start: bigint;
  readonly end: bigint;
}

export function ephemeralGroupId(prefix: string, label: string): string {
  return `${prefix}draft-sync-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Every record now in the topic, or those with a timestamp in [fromMs, toMs). */
export async function rangesOf(admin: Admin, topic: string, fromMs?: number, toMs?: number): Promise<PartitionRange[]> {
  const current = await admin.fetchTopicOffsets(topic);
  const byTime = async (ms: number): Promise<Map<number, bigint>> =>
    new Map((await admin.fetchTopicOffsetsByTimestamp(topic, ms)).map((p) => [p.partition, BigInt(p.offset)]));
  const from = fromMs === undefined ? null : await byTime(fromMs);
  const to = toMs === undefined ? null : await byTime(toMs);
  return current
    .map((p) => {
      const low = BigInt(p.low);
      const high = BigInt(p.high);
      // -1 from a timestamp lookup: no record at or after that time.
      const clamp = (offset: bigint | undefined): bigint => (offset === undefined || offset < 0n ? high : offset < low ? low : offset > high ? high : offset);
      const start = from ? clamp(from.get(p.partition)) : low;
      const end = to ? clamp(to.get(p.partition)) : high;
      return { partition: p.partition, start, end: end < start ? start : end };
    })
    .sort((a, b) => a.partition - b.partition);
}

export function rangeSize(ranges: readonly PartitionRange[]): number {
  return ranges.reduce((n, r) => n + Number(r.end - r.start), 0);
}

export interface RangeBatch {
  readonly partition: number;
  /** In offset order, all within the partition's range. */
  readonly messages: readonly KafkaMessage[];
}

export interface ReadOptions {
  readonly groupId: string;
  /** Fetch size per partition: large, since we only stream through. Default 8 MiB. */
  readonly maxBytesPerPartition?: number;
  readonly signal?: AbortSignal;
}

/**
 * Streams the ranges through `handler` (one partition's batches in order; partitions
 * concurrently) and resolves once every partition reached its end. Records of open
 * transactions are not read (read_committed); control records count as reached.
 */
export async function readRanges(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  ranges: readonly PartitionRange[],
  handler: (batch: RangeBatch) => Promise<void>,
  opts: ReadOptions,
): Promise<void> {
  const pending = new Map(ranges.filter((r) => r.end > r.start).map((r) => [r.partition, r]));
  if (pending.size === 0) return;
  const next = new Map(ranges.map((r) => [r.partition, r.start]));
  const consumer = kafka.consumer({
    groupId: opts.groupId,
    readUncommitted: false,
    maxBytesPerPartition: opts.maxBytesPerPartition ?? 8 * 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
    maxWaitTimeInMs: 100,
  });
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const reached = (partition: number, lastOffset: string): void => {
    const range = pending.get(partition);
    if (!range || BigInt(lastOffset) + 1n < range.end) return;
    pending.delete(partition);
    consumer.pause([{ topic, partitions: [partition] }]);
    if (pending.size === 0) finish();
  };
  // On a rejoin, resume where each partition got to rather than at its range start.
  seekOnJoin(consumer, topic, () => ranges.map((r) => ({ partition: r.partition, offset: next.get(r.partition) ?? r.start })));
  // Fires for data batches after eachBatch, and for batches of only control records too.
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => reached(event.payload.partition, event.payload.lastOffset));
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) fail(event.payload.error);
  });
  const onAbort = (): void => fail(new Error('aborted'));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: Math.max(1, pending.size),
      eachBatch: async (payload) => {
        const { batch } = payload;
        const range = pending.get(batch.partition);
        if (!range) return;
        const from = next.get(batch.partition) ?? range.start;
        const messages = batch.messages.filter((m) => {
          const offset = BigInt(m.offset);
          return offset >= from && offset < range.end;
        });
        if (messages.length > 0) {
          await handler({ partition: batch.partition, messages });
          next.set(batch.partition, BigInt(messages[messages.length - 1]!.offset) + 1n);
        }
        await payload.heartbeat();
      },
    });
    await done;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await consumer.disconnect();
    await admin.deleteGroups([opts.groupId]).catch(() => undefined);
  }
}

export interface FollowHandle {
  /** Resolves once the consumer joined (it reads from the given offsets either way). */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads a topic from given offsets (or its current end / beginning) until stopped, with a
 * throw-away group; `handler` sees each partition's records in order. With explicit offsets
 * the group's join (seconds, for a new group) happens in the background: nothing is missed.
 */
export type StartAt = readonly { readonly partition: number; readonly offset: bigint }[] | 'end' | 'beginning';

function isExplicit(start: StartAt): start is readonly { readonly partition: number; readonly offset: bigint }[] {
  return typeof start !== 'string';
}

export async function followTopic(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  start: StartAt,
  handler: (partition: number, message: KafkaMessage) => Promise<void>,
  groupId: string,
): Promise<FollowHandle> {
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  const from = new Map(isExplicit(start) ? start.map((p) => [p.partition, p.offset]) : []);
  if (isExplicit(start)) seekOnJoin(consumer, topic, () => start);
  const started = (async () => {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: start === 'beginning' });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        // Never hand over records before the requested start (e.g. re-fetched after a rebalance).
        if (BigInt(message.offset) < (from.get(partition) ?? 0n)) return;
        await handler(partition, message);
      },
    });
  })();
  started.catch(() => undefined); // surfaced by stop(); never an unhandled rejection
  if (!isExplicit(start)) await started;
  return {
    started,
    async stop() {
      await started.catch(() => undefined);
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    },
  };
}

/**
 * Starts a throw-away group at the given offsets: the seeks are queued when the group is
 * joined, before the first fetch. (admin.setOffsets would do it by running a consumer of its
 * own and waiting out a full fetch, ~5 s each time.)
 */
function seekOnJoin(consumer: Consumer, topic: string, starts: () => readonly { readonly partition: number; readonly offset: bigint }[]): void {
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const { partition, offset } of starts()) consumer.seek({ topic, partition, offset: String(offset) });
  });
}

/** The current end offset of every partition. */
export async function endOffsets(admin: Admin, topic: string): Promise<{ partition: number; offset: bigint }[]> {
  return (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: BigInt(p.high) }));
}
