// What the status page knows, folded from the sync-events and DLQ topics: pure, no I/O, so
// it is tested without servers. The Kafka feeds call add*(); the server reads view().
import type { DraftOrderSyncEvent } from '../../../src/contracts/sync-event.js';
import type { DeadLetter } from '../../../src/contracts/dead-letter.js';

/** Outcomes that changed the source store: "last sync" as `draft-sync status` defines it (src/ops/event-counters.ts). */
const APPLIED = new Set(['CREATED', 'UPDATED', 'RECREATED', 'DELETED', 'COMPLETED']);

export interface EventRow {
  readonly eventId: string;
  readonly key: string;
  readonly outcome: string;
  readonly reason: string | null;
  readonly originName: string | null;
  readonly sourceDraftName: string | null;
  readonly sourceDraftId: string | null;
  readonly version: string;
  readonly missingVariants: readonly string[];
  readonly occurredAt: string;
  readonly recordSource: string;
}

export interface DeadLetterRow {
  readonly id: string;
  readonly stage: string;
  readonly reason: string;
  readonly key: string | null;
  /** ISO time. */
  readonly failedAt: string;
  readonly attempts: number;
}

export interface ConnectionEvents {
  readonly connectionId: string;
  /** Newest first. */
  readonly recent: readonly EventRow[];
  readonly outcomes: Readonly<Record<string, number>>;
  readonly lastSync: string | null;
  readonly total: number;
}

export interface StateLimits {
  /** Recent events kept per connection. */
  readonly recentEvents: number;
  /** Dead letters kept (newest); the count covers all. */
  readonly deadLetters: number;
}

interface MutableConnection {
  recent: EventRow[];
  outcomes: Record<string, number>;
  lastSync: string | null;
  total: number;
}

export class StatusState {
  private readonly connections = new Map<string, MutableConnection>();
  /** Every letter id seen → its connection, for counts beyond the kept rows. */
  private readonly letterIds = new Map<string, string | null>();
  private readonly letters: { row: DeadLetterRow; connectionId: string | null }[] = [];
  private eventsRead = 0;

  constructor(
    /** Connection of a destination shop (dead letters carry only a key), or null. */
    private readonly connectionOfShop: (shop: string) => string | null,
    private readonly limits: StateLimits = { recentEvents: 50, deadLetters: 200 },
  ) {}

  addEvent(e: DraftOrderSyncEvent): void {
    this.eventsRead++;
    const c = this.connection(e.connectionId);
    // A writer that crashed between its link write and publish re-publishes the same event ids
    // soon after: the recent window catches those without remembering every id ever seen.
    if (c.recent.some((r) => r.eventId === e.eventId)) return;
    c.total++;
    c.outcomes[e.outcome] = (c.outcomes[e.outcome] ?? 0) + 1;
    // ISO strings of one writer clock compare as text; partitions interleave, so take the max.
    if (APPLIED.has(e.outcome) && (c.lastSync === null || c.lastSync < e.occurredAt)) c.lastSync = e.occurredAt;
    c.recent.push(rowOf(e));
    // Partitions arrive interleaved: keep the newest by time, not by arrival.
    c.recent.sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0));
    if (c.recent.length > this.limits.recentEvents) c.recent.length = this.limits.recentEvents;
  }

  /** Letter ids are deterministic, so one failure met twice (a restarted stage) is one entry. */
  addDeadLetter(l: DeadLetter): void {
    if (this.letterIds.has(l.id)) return;
    const shop = l.key?.split('/')[0];
    const connectionId = shop ? this.connectionOfShop(shop) : null;
    this.letterIds.set(l.id, connectionId);
    this.letters.push({
      connectionId,
      row: { id: l.id, stage: l.stage, reason: l.reason, key: l.key, failedAt: new Date(Number(l.failedAt)).toISOString(), attempts: l.attempts },
    });
    if (this.letters.length > this.limits.deadLetters) this.letters.shift();
  }

  get totalEvents(): number {
    return this.eventsRead;
  }

  get totalDeadLetters(): number {
    return this.letterIds.size;
  }

  events(connectionId: string): ConnectionEvents {
    const c = this.connections.get(connectionId);
    return {
      connectionId,
      recent: c ? [...c.recent] : [],
      outcomes: c ? { ...c.outcomes } : {},
      lastSync: c?.lastSync ?? null,
      total: c?.total ?? 0,
    };
  }

  /** Connection ids seen in events (a connection removed from the config still shows). */
  seenConnections(): string[] {
    return [...this.connections.keys()];
  }

  /** Letters of a connection (null: of none) whose id `isDone` does not mark (redriven). */
  pendingDeadLetters(connectionId: string | null, isDone: (id: string) => boolean): number {
    let n = 0;
    for (const [id, c] of this.letterIds) if (c === connectionId && !isDone(id)) n++;
    return n;
  }

  /** Kept letters of a connection (null: letters whose key names no configured connection), newest first. */
  deadLetters(connectionId: string | null): DeadLetterRow[] {
    return this.letters
      .filter((l) => l.connectionId === connectionId)
      .map((l) => l.row)
      .reverse();
  }

  private connection(id: string): MutableConnection {
    let c = this.connections.get(id);
    if (!c) {
      c = { recent: [], outcomes: {}, lastSync: null, total: 0 };
      this.connections.set(id, c);
    }
    return c;
  }
}

function rowOf(e: DraftOrderSyncEvent): EventRow {
  return {
    eventId: e.eventId,
    key: e.key,
    outcome: e.outcome,
    reason: e.reason,
    originName: e.origin.name,
    sourceDraftName: e.sourceDraftName,
    sourceDraftId: e.sourceDraftId,
    version: e.version,
    missingVariants: e.missingVariants,
    occurredAt: e.occurredAt,
    recordSource: e.recordSource,
  };
}
