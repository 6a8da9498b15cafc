// Runs one partition's records: per key strictly in order, different keys concurrently up
// to a limit, and queued versions of one key coalesced into a single run of the newest.
// Kafka-free: the consumer loop pushes records in offset order and commits committable().
import { OffsetTracker } from './offset-tracker.js';

export interface KeyedRecord<T> {
  /** Kafka offset (decimal string, as kafkajs gives it). */
  readonly offset: string;
  readonly key: string;
  readonly value: T;
}

export interface KeyedSchedulerOptions<T> {
  /** Keys applied at the same time. */
  readonly concurrency: number;
  /**
   * Applies `record`; `superseded` are older queued records of the same key that it replaces
   * (report them, e.g. as SKIPPED "coalesced"). All of them count as finished when this resolves.
   * A rejection stops the scheduler: nothing from that record on becomes committable.
   */
  run(record: KeyedRecord<T>, superseded: readonly KeyedRecord<T>[]): Promise<void>;
  /** Positive when `a` is newer than `b`; ties go to the later offset. Default: offset order only. */
  readonly compare?: (a: T, b: T) => number;
}

export class KeyedScheduler<T> {
  private readonly tracker = new OffsetTracker();
  /** Records waiting per key, in offset order. */
  private readonly waiting = new Map<string, KeyedRecord<T>[]>();
  /** Keys with waiting records and nothing running, oldest first. */
  private readonly ready: string[] = [];
  private readonly runningKeys = new Set<string>();
  private failure: { readonly error: Error } | null = null;
  private idleWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private coalescedCount = 0;
  /** Runs whose promise has not settled yet, failed or not. */
  private executing = 0;
  private settledWaiters: (() => void)[] = [];

  constructor(private readonly options: KeyedSchedulerOptions<T>) {
    if (options.concurrency < 1) throw new Error('concurrency must be at least 1');
  }

  /** Adds the next record of the partition (offsets must increase). */
  push(record: KeyedRecord<T>): void {
    if (this.failure) throw new Error('scheduler stopped after a failure');
    this.tracker.register(BigInt(record.offset));
    const queue = this.waiting.get(record.key);
    if (queue) queue.push(record);
    else {
      this.waiting.set(record.key, [record]);
      if (!this.runningKeys.has(record.key)) this.ready.push(record.key);
    }
    this.pump();
  }

  /** True while the key has a record running or waiting. */
  isActive(key: string): boolean {
    return this.runningKeys.has(key) || this.waiting.has(key);
  }

  /** Offset to commit now (next offset to read), or null when nothing is finished yet. */
  committableOffset(): string | null {
    const offset = this.tracker.committable();
    return offset === null ? null : offset.toString();
  }

  /** Resolves when every pushed record has finished; rejects with the first failure. */
  idle(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.tracker.outstanding === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.idleWaiters.push({ resolve, reject }));
  }

  /**
   * Resolves when no run is executing, even after a failure (when idle() has already
   * rejected): the point from which the same records may safely be run by someone else.
   */
  settled(): Promise<void> {
    if (this.executing === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  get stats(): { readonly running: number; readonly queued: number; readonly outstanding: number; readonly coalesced: number } {
    let queued = 0;
    for (const queue of this.waiting.values()) queued += queue.length;
    return { running: this.runningKeys.size, queued, outstanding: this.tracker.outstanding, coalesced: this.coalescedCount };
  }

  private pump(): void {
    while (!this.failure && this.runningKeys.size < this.options.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const queue = this.waiting.get(key) ?? [];
      this.waiting.delete(key);
      if (queue.length === 0) continue;
      const { newest, superseded } = this.pickNewest(queue);
      this.coalescedCount += superseded.length;
      this.runningKeys.add(key);
      void this.execute(key, newest, superseded);
    }
  }

  private async execute(key: string, record: KeyedRecord<T>, superseded: readonly KeyedRecord<T>[]): Promise<void> {
    this.executing++;
    try {
      await this.options.run(record, superseded);
    } catch (error) {
      this.fail(error);
      return;
    } finally {
      this.executing--;
      if (this.executing === 0) this.settleExecuting();
    }
    for (const done of [record, ...superseded]) this.tracker.finish(BigInt(done.offset));
    this.runningKeys.delete(key);
    if (this.waiting.has(key)) this.ready.push(key);
    this.pump();
    if (this.tracker.outstanding === 0) this.settleIdle();
  }

  private pickNewest(queue: readonly KeyedRecord<T>[]): { newest: KeyedRecord<T>; superseded: KeyedRecord<T>[] } {
    const compare = this.options.compare;
    let newest = queue[0] as KeyedRecord<T>;
    for (const candidate of queue.slice(1)) {
      // Later offset wins ties; an older version arriving later does not.
      if (!compare || compare(candidate.value, newest.value) >= 0) newest = candidate;
    }
    return { newest, superseded: queue.filter((r) => r !== newest) };
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error: error instanceof Error ? error : new Error(String(error)) };
    for (const waiter of this.idleWaiters) waiter.reject(this.failure.error);
    this.idleWaiters = [];
  }

  private settleExecuting(): void {
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const wake of waiters) wake();
  }

  private settleIdle(): void {
    for (const waiter of this.idleWaiters) waiter.resolve();
    this.idleWaiters = [];
  }
}
