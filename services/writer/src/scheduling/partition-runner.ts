// One partition's records through the keyed scheduler into applyMapped, with every outcome
// published before its offset may be committed. Kafka-free: the consumer loop feeds batches,
// publishes through the callback, and commits committableOffset().
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import type { DraftOrderSyncEvent } from '../../../../src/contracts/sync-event.js';
import type { ApplyOptions, ApplyResult } from '../apply/apply-mapped.js';
import { fingerprintOf } from '../../../../src/domain/fingerprint.js';
import { coalescedEvent } from '../../../../src/contracts/sync-event.js';
import { compareVersions } from '../../../../src/domain/versions.js';
import type { Link } from '../../../../src/links/link.js';
import { KeyedScheduler, type KeyedRecord } from './keyed-scheduler.js';

/** What one finished input record produced. */
export interface RecordOutcome {
  readonly offset: string;
  readonly record: MappedDraftOrder;
  readonly events: readonly DraftOrderSyncEvent[];
  /** Set when the record goes to the DLQ. */
  readonly dlqReason: string | null;
}

export interface PartitionRunnerOptions {
  /** Keys applied at the same time within the partition. */
  readonly concurrency: number;
  /** Usually `(record, link) => applyMapped(record, deps, link)`. */
  readonly apply: (record: MappedDraftOrder, prefetched: Link | undefined, offset: string, options: ApplyOptions) => Promise<ApplyResult>;
  /** Batch link read (LinkStore.getMany): one round trip for a batch's keys. */
  readonly prefetch?: (keys: readonly string[]) => Promise<Map<string, Link>>;
  /**
   * Makes a record's outcomes durable (sync events, DLQ entry). Its offset becomes committable
   * only after this resolves; a rejection stops the runner.
   */
  readonly publish: (outcomes: readonly RecordOutcome[]) => Promise<void>;
}

/**
 * Coalescing keeps the newest version of a key. At equal versions a forced record wins (an
 * unforced one would be skipped as already applied); otherwise the later offset wins ties. A
 * forced older version never beats a newer one: that would write stale content.
 */
export function compareMapped(a: MappedDraftOrder, b: MappedDraftOrder): number {
  const byVersion = compareVersions(a.version, b.version);
  if (byVersion !== 0 || a.force === b.force) return byVersion;
  return a.force ? 1 : -1;
}

/**
 * A coalesced record of the same version with other content: two changes within one second of
 * updated_at, and the later offset need not be the later change.
 */
function isContested(winner: MappedDraftOrder, superseded: readonly KeyedRecord<MappedDraftOrder>[]): boolean {
  const draft = winner.draft;
  if (draft === null) return false;
  const fingerprint = fingerprintOf(draft);
  return superseded.some((old) => old.value.draft !== null && compareVersions(old.value.version, winner.version) === 0 && fingerprintOf(old.value.draft) !== fingerprint);
}

export class PartitionRunner {
  private readonly scheduler: KeyedScheduler<MappedDraftOrder>;
  /** Links read for keys that were idle at read time; each is used by that key's next run only. */
  private readonly prefetched = new Map<string, Link>();

  constructor(private readonly options: PartitionRunnerOptions) {
    this.scheduler = new KeyedScheduler<MappedDraftOrder>({
      concurrency: options.concurrency,
      compare: compareMapped,
      run: (record, superseded) => this.run(record, superseded),
    });
  }

  /** Queues a batch (records in offset order); link reads for its idle keys happen in one round trip. */
  async push(records: readonly KeyedRecord<MappedDraftOrder>[]): Promise<void> {
    if (this.options.prefetch) {
      // A key already running or queued may change its link before the new record runs.
      const idleKeys = [...new Set(records.map((r) => r.key))].filter((key) => !this.scheduler.isActive(key));
      if (idleKeys.length > 0) for (const [key, link] of await this.options.prefetch(idleKeys)) this.prefetched.set(key, link);
    }
    for (const record of records) this.scheduler.push(record);
  }

  committableOffset(): string | null {
    return this.scheduler.committableOffset();
  }

  /** Resolves when everything pushed is applied and published; rejects on the first failure. */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  /** Resolves when no apply or publish is executing, also after a failure. */
  settled(): Promise<void> {
    return this.scheduler.settled();
  }

  get stats(): KeyedScheduler<MappedDraftOrder>['stats'] {
    return this.scheduler.stats;
  }

  private async run(record: KeyedRecord<MappedDraftOrder>, superseded: readonly KeyedRecord<MappedDraftOrder>[]): Promise<void> {
    const link = this.prefetched.get(record.key);
    this.prefetched.delete(record.key);
    const result = await this.options.apply(record.value, link, record.offset, { contested: isContested(record.value, superseded) });
    const now = new Date();
    const outcomes: RecordOutcome[] = [
      ...superseded.map((old) => ({ offset: old.offset, record: old.value, events: [coalescedEvent(old.value, record.value, now)], dlqReason: null })),
      { offset: record.offset, record: record.value, events: result.events, dlqReason: result.dlqReason },
    ];
    outcomes.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
    await this.options.publish(outcomes);
  }
}
