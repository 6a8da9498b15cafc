// Follows the settings topic from its first record for as long as a process runs, folding the
// newest record per connection (the topic is compacted: that is what it keeps). Records are
// read committed, so a change saved with its audit records in one transaction is seen whole or
// not at all. Listeners hear each fetched batch's changes once folded, in topic order.
import type { Consumer } from 'kafkajs';
import { TOPIC_CONTRACTS } from '../contracts/index.js';
import type { Infra } from '../shared/infra.js';
import { RegisteredValueReader } from '../shared/registry/registered-value.js';
import { ephemeralGroupId } from '../shared/kafka/topic-range.js';
import type { Logger } from '../shared/log.js';
import { fromRecord, type LiveEntry } from './record.js';

export type SettingsListener = (changed: readonly LiveEntry[], position: bigint) => void;

export class SettingsFollower {
  private readonly entries = new Map<string, LiveEntry>();
  private readonly listeners: SettingsListener[] = [];
  private readonly waiters = new Set<{ readonly offset: bigint; readonly resolve: () => void }>();
  /** The next offset to read: every record below it is folded. */
  private position_ = 0n;

  private constructor(
    private readonly infra: Infra,
    private readonly consumer: Consumer,
    private readonly groupId: string,
    private readonly logger: Logger,
  ) {}

  /** Joined and caught up with the topic's end as it was when called. */
  static async start(infra: Infra, opts: { readonly label: string; readonly logger: Logger; readonly timeoutMs?: number }): Promise<SettingsFollower> {
    await infra.admin(); // the settings topics exist
    await infra.codecs(); // and their schemas are registered
    const reader = new RegisteredValueReader(infra.registry(), TOPIC_CONTRACTS.settings);
    const topic = infra.topics.settings;
    const groupId = ephemeralGroupId(infra.topicPrefix, `settings-${opts.label}`);
    const consumer = infra.kafka().consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
    const follower = new SettingsFollower(infra, consumer, groupId, opts.logger);
    // Always from the first record: the group never commits, so a rejoin starts over and
    // records already folded are recognised by offset.
    consumer.on(consumer.events.GROUP_JOIN, () => consumer.seek({ topic, partition: 0, offset: String(follower.position_) }));
    // Also fires for fetches of only transaction markers, which never reach eachBatch.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => follower.passed(BigInt(payload.lastOffset) + 1n));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const fresh = batch.messages.filter((m) => BigInt(m.offset) >= follower.position_ && m.value !== null);
          // A registry that does not answer throws: kafkajs fetches the batch again, nothing is skipped.
          await reader.prepare(fresh.map((m) => m.value));
          const changed: LiveEntry[] = [];
          for (const message of fresh) {
            const read = reader.read(message.value);
            const entry = read.ok ? fromRecord(read.value, BigInt(message.offset)) : read;
            if (entry.ok) {
              follower.entries.set(entry.value.connectionId, entry.value);
              changed.push(entry.value);
            } else {
              follower.logger.error({ offset: message.offset, reason: entry.reason }, 'live settings: record refused; the previous settings stay in force');
            }
          }
          follower.passed(BigInt(batch.lastOffset()) + 1n, changed);
        },
      });
      await follower.reachEnd(opts.timeoutMs ?? 30_000);
    } catch (error) {
      await follower.stop();
      throw error;
    }
    return follower;
  }

  get position(): bigint {
    return this.position_;
  }

  get(connectionId: string): LiveEntry | undefined {
    return this.entries.get(connectionId);
  }

  all(): ReadonlyMap<string, LiveEntry> {
    return this.entries;
  }

  /** Heard for every batch folded from now on (position: the next offset to read). */
  onChange(listener: SettingsListener): void {
    this.listeners.push(listener);
  }

  /** Resolves once every record below `offset` is folded; rejects after `timeoutMs`. */
  reach(offset: bigint, timeoutMs: number): Promise<void> {
    if (this.position_ >= offset) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        offset,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`live settings: not caught up to offset ${offset} of ${this.infra.topics.settings} within ${timeoutMs} ms (at ${this.position_})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Caught up with the topic's end as it is now (committed records: a save in progress is waited for). */
  async reachEnd(timeoutMs: number): Promise<void> {
    const admin = await this.infra.admin();
    const [end] = await admin.fetchTopicOffsets(this.infra.topics.settings);
    await this.reach(BigInt(end?.high ?? '0'), timeoutMs);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    const admin = await this.infra.admin().catch(() => null);
    await admin?.deleteGroups([this.groupId]).catch(() => undefined);
  }

  private passed(next: bigint, changed: readonly LiveEntry[] = []): void {
    if (next <= this.position_ && changed.length === 0) return;
    if (next > this.position_) this.position_ = next;
    if (changed.length > 0) {
      for (const listener of this.listeners) {
        try {
          listener(changed, this.position_);
        } catch (err) {
          this.logger.error({ err }, 'live settings: a listener failed');
        }
      }
    }
    for (const waiter of this.waiters) {
      if (this.position_ < waiter.offset) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }
}
