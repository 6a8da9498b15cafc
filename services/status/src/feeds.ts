// Kafka side of the page: follows a topic from its oldest retained record with a throw-away
// group (src/shared/kafka/topic-range.ts) and hands each decoded record on once.
//
// From the beginning rather than the last N hours: counts by outcome must cover every event
// the topic still holds (sync events are kept 30 days; the DLQ forever) to agree with
// `draft-sync status`, and the page's memory stays bounded anyway (counts, 50 recent events per
// connection, the newest dead letters). The cost is reading that history once at start-up,
// shown on the page as "reading history…". The group is never committed and is deleted on stop,
// so no instance disturbs another or the services' groups.
import type { KafkaMessage } from 'kafkajs';
import type { Logger } from '../../../src/shared/log.js';
import type { Infra } from '../../../src/shared/infra.js';
import { ephemeralGroupId, followTopic, rangesOf } from '../../../src/shared/kafka/topic-range.js';

export interface Feed {
  /** True once every partition reached the end it had at start-up. */
  caughtUp(): boolean;
  /** True once the consumer joined its group. */
  joined(): boolean;
  stop(): Promise<void>;
}

export interface FeedOptions<T> {
  readonly label: string;
  readonly topic: string;
  readonly decode: (value: Buffer) => Promise<T>;
  readonly onRecord: (record: T) => void;
  readonly onUndecodable: () => void;
  readonly logger: Logger;
}

export async function followFromStart<T>(infra: Infra, opts: FeedOptions<T>): Promise<Feed> {
  const admin = await infra.admin();
  const ranges = await rangesOf(admin, opts.topic);
  const behind = new Map(ranges.filter((r) => r.end > r.start).map((r) => [r.partition, r.end]));
  // The group never commits: after a rebalance kafkajs would start again from the initial
  // offsets, so records already folded are recognised by offset and not counted twice.
  const next = new Map(ranges.map((r) => [r.partition, r.start]));
  let joined = false;
  const handle = async (partition: number, message: KafkaMessage): Promise<void> => {
    const offset = BigInt(message.offset);
    if (offset < (next.get(partition) ?? 0n)) return;
    next.set(partition, offset + 1n);
    const end = behind.get(partition);
    if (end !== undefined && offset + 1n >= end) behind.delete(partition);
    if (!message.value) return;
    try {
      opts.onRecord(await opts.decode(message.value));
    } catch (err) {
      // Never thrown back into kafkajs: a retry would re-read from the uncommitted start.
      opts.onUndecodable();
      opts.logger.warn({ err, topic: opts.topic, partition, offset: message.offset }, 'status: record skipped, does not decode');
    }
  };
  const follow = await followTopic(
    infra.kafka(),
    admin,
    opts.topic,
    ranges.map((r) => ({ partition: r.partition, offset: r.start })),
    handle,
    ephemeralGroupId(infra.topicPrefix, `status-${opts.label}`),
  );
  follow.started.then(
    () => (joined = true),
    (err: unknown) => opts.logger.error({ err, topic: opts.topic }, 'status: consumer failed to start'),
  );
  return {
    // Transaction markers (the mapper writes the DLQ transactionally) can be a partition's last
    // offset and are never delivered: meaningful for the sync-events topic, which the writer
    // produces without transactions.
    caughtUp: () => behind.size === 0,
    joined: () => joined,
    stop: () => follow.stop(),
  };
}
