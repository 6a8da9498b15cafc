// The writer's consumer group on the mapped topic (read_committed). eachBatch only decodes and
// hands records to the partition's slot, so fetching runs ahead of applying (a backlog queues
// up and coalesces); offsets are committed from the slots' committable offsets, on a timer,
// on rebalance and on shutdown. A partition whose runner fails restarts from the offset below
// its lowest unfinished record; one with too much outstanding work is paused.
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '../../../../src/shared/log.js';
import { backoffDelay, sleep } from '../../../../src/shared/retry.js';
import type { ApplyDeps } from '../apply/apply-mapped.js';
import type { LinkStore } from '../../../../src/links/link-store.js';
import type { WriterMetrics } from '../metrics.js';
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import type { RegisteredValueReader } from '../../../../src/shared/registry/registered-value.js';
import type { OutcomePublisher } from './outcome-publisher.js';
import { PartitionSlot, type SlotRecord } from './partition-slot.js';
import { FencedWrite, type Claim, type Fence, type PartitionGenerations } from './generations.js';
import { LinkWriteRefused } from '../../../../src/links/link-store.js';

/** A partition's claim; `taken` is set once it settles (null: given up at shutdown). */
interface PendingClaim {
  readonly promise: Promise<Claim | null>;
  taken: Claim | null | undefined;
}

/** The failure means another writer owns the work now, not that something broke. */
function isFenced(error: Error): boolean {
  return error instanceof FencedWrite || error instanceof LinkWriteRefused;
}

export interface MappedConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly decoder: RegisteredValueReader<MappedDraftOrder>;
  readonly publisher: OutcomePublisher;
  readonly links: LinkStore;
  readonly applyDeps: Omit<ApplyDeps, 'signal' | 'fence'>;
  /** Fencing tokens: each assignment of a partition takes a new generation. */
  readonly generations: PartitionGenerations;
  readonly metrics: WriterMetrics;
  readonly logger: Logger;
  /** Keys applied at once per partition. */
  readonly keyConcurrency: number;
  readonly partitionsConsumedConcurrently: number;
  /** A partition is paused at this many outstanding records and resumed at half. */
  readonly maxOutstandingPerPartition: number;
  readonly commitIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly maxBytesPerPartition: number;
  readonly restartBackoff?: { readonly initialMs: number; readonly maxMs: number };
}

type TopicPartitionOffset = { topic: string; partition: number; offset: string };

const TICK_MS = 100;

export class MappedConsumer {
  private readonly consumer: Consumer;
  private readonly topic: string;
  private readonly slots = new Map<number, PartitionSlot>();
  private readonly shutdown = new AbortController();
  /** Paused because of backpressure. */
  private readonly throttled = new Set<number>();
  /** Restarting after a failure. */
  private readonly failing = new Set<number>();
  private readonly restarts = new Map<number, number>();
  /** This member's generation of each assigned partition: taken on assignment, awaited before its batches. */
  private readonly claims = new Map<number, PendingClaim>();
  /** Paused because a newer generation owns them: they wait for the rebalance that tells us. */
  private readonly fenced = new Set<number>();
  /**
   * Partitions whose queue was dropped: fetching must start again at the dropped slot's first
   * unfinished offset (kafkajs may have fetched past it); later batches are skipped until then.
   */
  private readonly rewound = new Map<number, bigint>();
  /** What this member last committed per partition (cleared when a partition is revoked). */
  private readonly committed = new Map<number, string>();
  private commitChain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private running_ = false;
  private stopping = false;
  private lastCommitAt = 0;

  constructor(private readonly options: MappedConsumerOptions) {
    this.topic = options.topic;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      readUncommitted: false,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxWaitTimeInMs: 250,
    });
  }

  /** In the group and fetching, with no partition restarting. */
  get healthy(): boolean {
    return this.running_ && this.failing.size === 0;
  }

  get running(): boolean {
    return this.running_;
  }

  async start(): Promise<void> {
    const { consumer, logger } = { consumer: this.consumer, logger: this.options.logger };
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.onAssignment(event.payload.memberAssignment[this.topic] ?? []);
      this.setRunning(true);
    });
    // Before the member rejoins: commit what is done, so the next owner starts as late as possible.
    consumer.on(consumer.events.REBALANCING, () => void this.commit());
    consumer.on(consumer.events.CRASH, (event) => {
      logger.error({ err: event.payload.error, restart: event.payload.restart }, 'writer consumer crashed');
      this.setRunning(false);
    });
    consumer.on(consumer.events.STOP, () => this.setRunning(false));
    // A fetch of only transaction markers never reaches eachBatch; without this the committed
    // offset would stay one short of the end after every mapper transaction.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize !== 0 || this.stopping) return;
      const slot = this.slots.get(payload.partition);
      if (slot && !slot.failed) slot.passedTo(BigInt(payload.lastOffset) + 1n);
    });

    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /**
   * Graceful: stop fetching, let in-flight records finish (interrupting retrying ones after
   * `graceMs`), commit what is committable, leave the group.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.running_) this.consumer.pause([{ topic: this.topic }]);
    const slots = [...this.slots.values()];
    let timeout: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all(slots.map((slot) => slot.drained())).then(() => true),
      new Promise<false>((resolve) => (timeout = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timeout);
    if (!drained) {
      this.options.logger.warn({ graceMs }, 'interrupting applies still retrying at shutdown; they stay uncommitted');
      this.shutdown.abort();
    }
    await Promise.all(slots.map((slot) => slot.settled()));
    await this.commit();
    await this.consumer.disconnect();
    this.setRunning(false);
    this.shutdown.abort(); // releases restart backoffs still sleeping
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const partition = batch.partition;
    const stale = (): boolean => this.stopping || !payload.isRunning() || payload.isStale();
    if (stale() || batch.isEmpty()) return;
    // This assignment's generation first: taking it may drop a queue another writer made stale.
    const claim = await this.claimOf(partition, payload);
    if (!claim || stale()) return;
    let slot = this.slots.get(partition);
    if (slot?.failed || this.fenced.has(partition)) return; // restarting: a seek re-delivers from the restart offset
    const first = batch.messages[0]!;
    if (!slot) {
      const from = this.rewound.get(partition);
      if (from !== undefined && BigInt(first.offset) > from) {
        this.control('seek', () => this.consumer.seek({ topic: this.topic, partition, offset: from.toString() }));
        return; // fetched before the seek: nothing taken, the seek re-delivers from `from`
      }
      this.rewound.delete(partition);
      slot = this.createSlot(partition, BigInt(first.offset), claim.fence);
    }
    const fresh = batch.messages.filter((m) => slot.accepts(m.offset));

    const records: SlotRecord[] = [];
    try {
      await this.options.decoder.prepare(fresh.map((m) => m.value));
    } catch (error) {
      // The registry did not answer: nothing of this batch was taken; retry after a backoff.
      this.onSlotFailure(slot, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    for (const message of fresh) {
      const origin = { topic: batch.topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value: message.value ?? Buffer.alloc(0), headers: message.headers };
      const decoded = this.options.decoder.read(message.value);
      records.push(decoded.ok ? { kind: 'record', origin, value: decoded.value } : { kind: 'dead', origin, reason: decoded.reason });
    }
    if (stale() || this.slots.get(partition) !== slot) return;
    await slot.push(records);
    // Dropped meanwhile (another writer owned the partition, or fenced): its seek must stand, so
    // this batch is not resolved past it.
    if (slot.failed || this.slots.get(partition) !== slot) return;
    // lastOffset() counts the transaction markers fetched with the records.
    slot.passedTo(BigInt(batch.lastOffset()) + 1n);
    payload.resolveOffset(batch.lastOffset());
    if (slot.outstanding >= this.options.maxOutstandingPerPartition && !this.throttled.has(partition)) {
      this.throttled.add(partition);
      this.control('pause', () => this.consumer.pause([{ topic: this.topic, partitions: [partition] }]));
    }
    await payload.heartbeat();
  }

  private createSlot(partition: number, startOffset: bigint, fence: Fence): PartitionSlot {
    const slot = new PartitionSlot({
      topic: this.topic,
      partition,
      startOffset,
      fence,
      keyConcurrency: this.options.keyConcurrency,
      applyDeps: this.options.applyDeps,
      shutdown: this.shutdown.signal,
      links: this.options.links,
      publisher: this.options.publisher,
      onFailure: (failed, error) => this.onSlotFailure(failed, error),
    });
    this.slots.set(partition, slot);
    return slot;
  }

  /**
   * Partitions no longer ours: interrupt their work and forget them (the new owner resumes from
   * the committed offset). Every assigned partition takes a new generation; one we keep keeps
   * its queue only if nobody else took the partition since our last generation.
   */
  private onAssignment(partitions: readonly number[]): void {
    const assigned = new Set(partitions);
    for (const [partition, slot] of this.slots) {
      if (assigned.has(partition)) continue;
      this.forget(partition, slot);
    }
    for (const partition of [...this.claims.keys()]) if (!assigned.has(partition)) this.claims.delete(partition);
    for (const partition of partitions) {
      const pending: PendingClaim = { promise: this.claimWithRetry(partition), taken: undefined };
      this.claims.set(partition, pending);
      void pending.promise.then((taken) => {
        pending.taken = taken;
        if (taken) this.onClaimed(partition, taken);
      });
    }
    // kafkajs keeps a pause across rebalances: a fenced partition stays paused until it is ours
    // again, and then starts over at its first unfinished offset.
    const refenced = [...this.fenced].filter((p) => assigned.has(p));
    for (const partition of refenced) {
      this.fenced.delete(partition);
      const from = this.rewound.get(partition);
      if (from !== undefined) this.control('seek', () => this.consumer.seek({ topic: this.topic, partition, offset: from.toString() }));
    }
    if (refenced.length > 0) this.control('resume', () => this.consumer.resume([{ topic: this.topic, partitions: refenced }]));
    this.options.logger.info({ topic: this.topic, partitions }, 'writer partitions assigned');
  }

  private onClaimed(partition: number, claim: Claim): void {
    const slot = this.slots.get(partition);
    if (!slot) return;
    if (claim.previous === slot.fence.generation) {
      slot.renew(claim.fence);
      return;
    }
    // Someone else owned the partition meanwhile: what we queued may be older than what they applied.
    const from = slot.restartOffset();
    this.options.logger.warn({ partition, ours: slot.fence.generation, previous: claim.previous, from: from.toString() }, 'partition was owned by another writer meanwhile; dropping its queue and fetching again');
    this.forget(partition, slot);
    this.rewound.set(partition, from);
    this.control('seek', () => this.consumer.seek({ topic: this.topic, partition, offset: from.toString() }));
  }

  /** pause/resume/seek throw while kafkajs restarts the consumer: that must not kill the process. */
  private control(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.options.logger.warn({ err: error, what }, 'consumer control call failed; the rebalance that follows sets it right');
    }
  }

  private forget(partition: number, slot: PartitionSlot): void {
    this.slots.delete(partition);
    slot.interrupt();
    this.throttled.delete(partition);
    this.failing.delete(partition);
    this.committed.delete(partition);
    this.options.metrics.setQueueDepth(String(partition), 0);
  }

  /** Takes the partition's generation, retrying Redis failures while the partition stays ours. */
  private async claimWithRetry(partition: number): Promise<Claim | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.options.generations.claim(partition);
      } catch (error) {
        this.options.logger.warn({ err: error, partition, attempt }, 'could not take the partition generation; retrying');
        const delay = backoffDelay({ baseDelayMs: 200, maxDelayMs: 5000 }, attempt);
        if (!(await sleep(delay, { signal: this.shutdown.signal })) || this.stopping) return null;
      }
    }
  }

  /** The current assignment's claim, waited for with heartbeats; null when it is gone or stale. */
  private async claimOf(partition: number, payload: EachBatchPayload): Promise<Claim | null> {
    for (;;) {
      const pending = this.claims.get(partition);
      if (!pending || this.stopping || !payload.isRunning() || payload.isStale()) return null;
      if (pending.taken !== undefined) return pending.taken; // the usual case: no wait, no timer
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([pending.promise, new Promise<'wait'>((resolve) => (timer = setTimeout(() => resolve('wait'), 1000)))]);
      clearTimeout(timer);
      if (waited !== 'wait') return this.claims.get(partition) === pending ? waited : null;
      await payload.heartbeat();
    }
  }

  /**
   * A newer generation owns the partition: this member lost it without hearing yet. Nothing of
   * it may go on (no restart, no new generation: only an assignment gives one); the rebalance
   * that follows resumes it if it comes back to us.
   */
  private onFenced(slot: PartitionSlot, error: Error): void {
    const partition = slot.partition;
    this.options.metrics.onFencedWrite(String(partition));
    this.options.logger.warn({ err: error, partition, generation: slot.fence.generation }, 'write fenced: a newer writer owns this partition; its work here stops unapplied');
    this.control('pause', () => this.consumer.pause([{ topic: this.topic, partitions: [partition] }]));
    this.fenced.add(partition);
    this.claims.delete(partition);
    this.rewound.set(partition, slot.restartOffset());
    this.forget(partition, slot);
  }

  /**
   * Replaces a failed slot: wait until nothing of it executes (so no key runs twice), commit
   * what it finished, back off, then seek to the first unfinished offset with a fresh slot.
   */
  private onSlotFailure(slot: PartitionSlot, error: Error): void {
    if (this.stopping) return; // interrupted by shutdown: the records stay uncommitted
    const partition = slot.partition;
    if (this.slots.get(partition) !== slot || this.failing.has(partition)) return;
    if (isFenced(error)) return this.onFenced(slot, error);
    this.failing.add(partition);
    this.options.metrics.onPartitionRestart(String(partition));
    const attempt = (this.restarts.get(partition) ?? 0) + 1;
    this.restarts.set(partition, attempt);
    const { initialMs, maxMs } = this.options.restartBackoff ?? { initialMs: 500, maxMs: 30_000 };
    const delay = backoffDelay({ baseDelayMs: initialMs, maxDelayMs: maxMs }, attempt - 1);
    this.options.logger.warn({ err: error, partition, attempt, retryInMs: Math.round(delay) }, 'partition failed; restarting it from its first unfinished record');
    this.control('pause', () => this.consumer.pause([{ topic: this.topic, partitions: [partition] }]));
    slot.interrupt();
    void (async () => {
      await slot.settled();
      await this.commit();
      await sleep(delay, { signal: this.shutdown.signal });
      if (this.stopping || this.slots.get(partition) !== slot) return;
      const offset = slot.restartOffset();
      this.slots.delete(partition);
      this.createSlot(partition, offset, slot.fence);
      this.control('seek', () => this.consumer.seek({ topic: this.topic, partition, offset: offset.toString() }));
      this.failing.delete(partition);
      this.throttled.delete(partition);
      this.control('resume', () => this.consumer.resume([{ topic: this.topic, partitions: [partition] }]));
    })().catch((err: unknown) => this.options.logger.error({ err, partition }, 'partition restart failed'));
  }

  private tick(): void {
    for (const [partition, slot] of this.slots) {
      this.options.metrics.setQueueDepth(String(partition), slot.outstanding);
      if (this.throttled.has(partition) && !this.failing.has(partition) && slot.outstanding <= this.options.maxOutstandingPerPartition / 2) {
        this.throttled.delete(partition);
        this.control('resume', () => this.consumer.resume([{ topic: this.topic, partitions: [partition] }]));
      }
    }
    if (Date.now() - this.lastCommitAt >= this.options.commitIntervalMs) {
      this.lastCommitAt = Date.now();
      void this.commit();
    }
  }

  /** Commits every slot's committable offset that moved; serialised, never throws. */
  private commit(): Promise<void> {
    this.commitChain = this.commitChain
      .then(() => this.commitOnce())
      .catch((err: unknown) => this.options.logger.warn({ err }, 'offset commit failed; retrying on the next tick'));
    return this.commitChain;
  }

  private async commitOnce(): Promise<void> {
    const offsets: TopicPartitionOffset[] = [];
    for (const [partition, slot] of this.slots) {
      const offset = slot.committable();
      const last = this.committed.get(partition);
      if (offset !== null && (last === undefined || BigInt(offset) > BigInt(last))) offsets.push({ topic: this.topic, partition, offset });
    }
    if (offsets.length === 0 || !this.running_) return;
    await this.consumer.commitOffsets(offsets);
    for (const { partition, offset } of offsets) {
      this.committed.set(partition, offset);
      const slot = this.slots.get(partition);
      // Progress after a restart: the next failure starts its backoff afresh.
      if (slot && BigInt(offset) > slot.startOffset) this.restarts.delete(partition);
    }
  }

  private setRunning(value: boolean): void {
    this.running_ = value;
    this.options.metrics.setConsumerRunning(value);
  }

}
