// What happened to the records a replay re-drove: the writer's sync events for them (same
// key and version, recordSource 'replay'), tallied by outcome and reason.
import type { DraftOrderSyncEvent, SyncOutcome } from '../../contracts/sync-event.js';

export interface OutcomeTally {
  /** CREATED, UPDATED, RECREATED, DELETED, COMPLETED. */
  readonly applied: Record<string, number>;
  /** By reason (STALE, UNMAPPED, …). */
  readonly skipped: Record<string, number>;
  /** By reason. */
  readonly failed: Record<string, number>;
  /** Re-driven records without an outcome yet (or when the wait ended). */
  readonly pending: number;
}

const APPLIED: ReadonlySet<SyncOutcome> = new Set(['CREATED', 'UPDATED', 'RECREATED', 'DELETED', 'COMPLETED']);

export class ReplayOutcomes {
  private readonly expected = new Set<string>();
  private readonly applied: Record<string, number> = {};
  private readonly skipped: Record<string, number> = {};
  private readonly failed: Record<string, number> = {};
  private resolved = 0;
  private waiters: (() => void)[] = [];

  expect(key: string, version: string): void {
    this.expected.add(idOf(key, version));
  }

  get expectedCount(): number {
    return this.expected.size + this.resolved;
  }

  get pending(): number {
    return this.expected.size;
  }

  /** Feeds one sync event; the first event of a re-driven record is its outcome (invoice events follow). */
  observe(event: DraftOrderSyncEvent): void {
    if (event.recordSource !== 'replay') return;
    const id = idOf(event.key, event.version);
    if (!this.expected.delete(id)) return;
    this.resolved++;
    if (APPLIED.has(event.outcome)) bump(this.applied, event.outcome);
    else if (event.outcome === 'FAILED') bump(this.failed, event.reason ?? 'unknown');
    else bump(this.skipped, skipReasonOf(event));
    if (this.expected.size === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves when every expected record has its outcome, or after `ms`. */
  async settled(ms: number): Promise<void> {
    if (this.expected.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      timer = setTimeout(resolve, ms);
    }).finally(() => clearTimeout(timer));
  }

  tally(): OutcomeTally {
    return { applied: { ...this.applied }, skipped: { ...this.skipped }, failed: { ...this.failed }, pending: this.expected.size };
  }
}

function idOf(key: string, version: string): string {
  return `${key}\u0000${version}`;
}

function bump(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

/** "STALE: coalesced into a newer version (…)" → "STALE: coalesced into a newer version". */
function skipReasonOf(event: DraftOrderSyncEvent): string {
  if (event.outcome !== 'SKIPPED') return event.outcome;
  return (event.reason ?? 'SKIPPED').replace(/\s*\(.*\)$/, '');
}
