// Reading one key's records without scanning whole topics: every topic is keyed by the origin
// record and produced with kafkajs' DefaultPartitioner (Java-compatible murmur2), so a key
// lives in one partition per topic, which is computed here and read alone.
import { Partitioners, type Admin, type Kafka, type PartitionMetadata } from 'kafkajs';
import { ephemeralGroupId, rangesOf, readRanges, type PartitionRange } from '../shared/kafka/topic-range.js';
import type { KeyRecord } from './explain-facts.js';

const partitioner = Partitioners.DefaultPartitioner();

/** The partition the producers' partitioner picks for `key` among `count` partitions. */
export function partitionForKey(key: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new Error(`partition count ${count}: expected a positive integer`);
  // Only the number of partitions matters to a keyed pick; leaders are irrelevant.
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: count }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
  return partitioner({ topic: 'explain', partitionMetadata, message: { key, value: null } });
}

/** Partition counts of the topics, as the broker has them now. */
export async function partitionCounts(admin: Admin, topics: readonly string[]): Promise<Map<string, number>> {
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
  return new Map(metadata.map((t) => [t.name, t.partitions.length]));
}

export interface KeyRead {
  readonly partition: number;
  /** The offsets read, [start, end). */
  readonly start: string;
  readonly end: string;
  readonly records: readonly KeyRecord<Buffer>[];
}

/**
 * The key's records in its partition (from `sinceMs` when given), oldest first. The other
 * partitions get empty ranges at their end, so the throw-away group seeks there and fetches
 * nothing from them.
 */
export async function readKey(kafka: Kafka, admin: Admin, opts: { readonly topic: string; readonly key: string; readonly partition: number; readonly sinceMs?: number; readonly groupPrefix: string }): Promise<KeyRead> {
  const all = await rangesOf(admin, opts.topic, opts.sinceMs);
  const ranges: PartitionRange[] = all.map((r) => (r.partition === opts.partition ? r : { partition: r.partition, start: r.end, end: r.end }));
  const own = ranges.find((r) => r.partition === opts.partition);
  if (!own) throw new Error(`${opts.topic} has no partition ${opts.partition}`);
  const wanted = Buffer.from(opts.key);
  const records: KeyRecord<Buffer>[] = [];
  await readRanges(
    kafka,
    admin,
    opts.topic,
    ranges,
    async ({ partition, messages }) => {
      for (const m of messages) {
        if (m.value && m.key?.equals(wanted)) records.push({ partition, offset: m.offset, timestamp: Number(m.timestamp), value: m.value });
      }
    },
    { groupId: ephemeralGroupId(opts.groupPrefix, 'explain'), maxBytesPerPartition: 4 * 1024 * 1024 },
  );
  return { partition: opts.partition, start: String(own.start), end: String(own.end), records };
}
