// One assigned partition of the mapped topic while this process owns it: its PartitionRunner,
// the original bytes of records not yet published (for dead letters), the next offset it
// expects, and an abort signal that interrupts its retrying applies (revoke, restart).
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import { applyMapped, type ApplyDeps } from '../apply/apply-mapped.js';
import type { LinkStore } from '../../../../src/links/link-store.js';
import { PartitionRunner, type RecordOutcome } from '../scheduling/partition-runner.js';
import type { SourceRecord } from '../../../../src/contracts/dead-letter.js';
import { contextFrom, inSpan, tracerOf, tracingOn } from '../../../../src/shared/tracing.js';
import type { OutcomePublisher } from './outcome-publisher.js';
import { RenewableFence, type Fence } from './generations.js';

const tracer = tracerOf('writer');

/** A fetched record: decoded for the runner, or dead (undecodable) for the DLQ. */
export type SlotRecord =
  | { readonly kind: 'record'; readonly origin: SourceRecord; readonly value: MappedDraftOrder }
  | { readonly kind: 'dead'; readonly origin: SourceRecord; readonly reason: string };

export interface PartitionSlotOptions {
  readonly topic: string;
  readonly partition: number;
  /** First offset this slot handles: where fetching (re)starts. */
  readonly startOffset: bigint;
  readonly keyConcurrency: number;
  readonly applyDeps: Omit<ApplyDeps, 'signal' | 'fence'>;
  /** This process's generation of the partition (replaced when a rejoin keeps the partition). */
  readonly fence: Fence;
  /** Aborted on shutdown. */
  readonly shutdown: AbortSignal;
  readonly links: LinkStore;
  readonly publisher: OutcomePublisher;
  /** The runner stopped (Redis, Kafka, interrupted apply): the slot must be replaced. */
  readonly onFailure: (slot: PartitionSlot, error: Error) => void;
}

export class PartitionSlot {
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: bigint;
  private readonly runner: PartitionRunner;
  private readonly abort = new AbortController();
  private readonly pending = new Map<string, SourceRecord>();
  private next: bigint;
  /**
   * One past the last offset that needs no apply and never enters the runner: dead-lettered
   * records, and the mapper's transaction markers (which occupy offsets but are not records).
   */
  private deadNext: bigint | null = null;
  private watching = false;
  private failure: Error | null = null;
  private readonly fence_: RenewableFence;

  constructor(private readonly options: PartitionSlotOptions) {
    this.topic = options.topic;
    this.partition = options.partition;
    this.startOffset = options.startOffset;
    this.next = options.startOffset;
    this.fence_ = new RenewableFence(options.fence);
    const deps: ApplyDeps = { ...options.applyDeps, fence: this.fence_, signal: AbortSignal.any([options.shutdown, this.abort.signal]) };
    this.runner = new PartitionRunner({
      concurrency: options.keyConcurrency,
      apply: (record, link, offset, applyOptions) => {
        if (!tracingOn()) return applyMapped(record, deps, link, applyOptions);
        // A child of the mapper's span: the Admin API calls of this apply become its children.
        const parent = contextFrom(this.pending.get(offset)?.headers);
        const span = tracer.startSpan('apply', { attributes: { 'dos.key': record.key, 'dos.version': record.version, 'dos.action': record.action } }, parent);
        return inSpan(parent, span, () => applyMapped(record, deps, link, applyOptions));
      },
      prefetch: (keys) => options.links.getMany(keys),
      publish: (outcomes) => this.publish(outcomes),
    });
  }

  get failed(): Error | null {
    return this.failure;
  }

  get fence(): Fence {
    return this.fence_.fence;
  }

  /** A rejoin kept this partition and nobody owned it in between: carry on under the new generation. */
  renew(fence: Fence): void {
    this.fence_.renew(fence);
  }

  /** Records queued or running (backpressure, queue depth). */
  get outstanding(): number {
    return this.runner.stats.outstanding;
  }

  /** False for offsets this slot already took: the consumer re-fetches from the committed offset after a rebalance. */
  accepts(offset: string): boolean {
    return BigInt(offset) >= this.next;
  }

  /**
   * Takes the next records in offset order. Dead records are dead-lettered first (durably), so
   * the committable offset may pass them as soon as the runner has nothing before them.
   */
  async push(records: readonly SlotRecord[]): Promise<void> {
    const fresh = records.filter((r) => this.accepts(r.origin.offset));
    if (fresh.length === 0) return;
    this.next = BigInt(fresh[fresh.length - 1]!.origin.offset) + 1n;
    const dead = fresh.filter((r) => r.kind === 'dead');
    await Promise.all(dead.map((r) => this.options.publisher.publish(r.origin, [], r.reason)));
    if (dead.length > 0) this.deadNext = BigInt(dead[dead.length - 1]!.origin.offset) + 1n;

    const live = fresh.filter((r): r is Extract<SlotRecord, { kind: 'record' }> => r.kind === 'record');
    for (const r of live) this.pending.set(r.origin.offset, r.origin);
    try {
      await this.runner.push(live.map((r) => ({ offset: r.origin.offset, key: r.value.key, value: r.value })));
    } catch (error) {
      this.fail(error);
      return;
    }
    this.watch();
  }

  /**
   * Everything below `offset` has been fetched and needs no further apply (a read_committed
   * fetch ends on a transaction marker): committing past it keeps the group's lag at 0 when
   * it is caught up.
   */
  passedTo(offset: bigint): void {
    if (offset > this.next) this.next = offset;
    if (this.deadNext === null || offset > this.deadNext) this.deadNext = offset;
  }

  /** Offset to commit (next to read), or null when nothing is finished yet. */
  committable(): string | null {
    const ran = this.runner.committableOffset();
    if (this.deadNext === null || this.runner.stats.outstanding > 0) return ran;
    return ran === null || this.deadNext > BigInt(ran) ? this.deadNext.toString() : ran;
  }

  /** Where a replacement slot starts: nothing below it needs doing again. */
  restartOffset(): bigint {
    const committable = this.committable();
    return committable === null ? this.startOffset : BigInt(committable);
  }

  /** Resolves when everything pushed is published, or the runner failed. */
  async drained(): Promise<void> {
    await this.runner.idle().catch(() => undefined);
  }

  /** Resolves when no apply or publish of this slot is executing. */
  settled(): Promise<void> {
    return this.runner.settled();
  }

  /**
   * Interrupts retrying applies and pacing waits (ApplyInterrupted, CallAborted) and keeps
   * queued records from starting: their records stay uncommitted.
   */
  interrupt(): void {
    this.abort.abort();
  }

  private async publish(outcomes: readonly RecordOutcome[]): Promise<void> {
    await Promise.all(
      outcomes.map((outcome) => {
        const origin = this.pending.get(outcome.offset);
        if (!origin) throw new Error(`no pending record at offset ${outcome.offset}`);
        return this.options.publisher.publish(origin, outcome.events, outcome.dlqReason);
      }),
    );
    for (const outcome of outcomes) this.pending.delete(outcome.offset);
  }

  /** One idle() watcher at a time: a rejection is the runner's failure. */
  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.runner.idle().then(
      () => {
        this.watching = false;
        // Records pushed while this watcher was resolving need a watcher of their own.
        if (this.runner.stats.outstanding > 0) this.watch();
      },
      (error: unknown) => this.fail(error),
    );
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.options.onFailure(this, this.failure);
  }
}
