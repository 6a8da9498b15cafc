// Listing past Shopify's pagination cap (a cursor stops at the 25,000th object): the updated_at
// range is walked in windows, each its own cursor pagination, and a window that has produced
// `maxRecords` records is cut and resumed from the last updated_at second it reached. The
// resumed window lists that second again (what was listed already is dropped by the caller's
// dedupe), so records sharing a second at a cut are neither lost nor duplicated. A second
// holding `maxRecords` or more records on its own is paged by id instead. Pure: destination.ts
// runs the queries.

/** `from ≤ updated_at < to` in whole seconds since the epoch (null: unbounded), sorted by UPDATED_AT. */
export interface TimeWindow {
  readonly kind: 'time';
  /** 1-based, for progress. */
  readonly index: number;
  readonly fromSec: number | null;
  readonly toSec: number | null;
}

/** One second's records with id ≥ `minId`, sorted by ID: the only order exact within a second. */
export interface SecondWindow {
  readonly kind: 'second';
  readonly index: number;
  readonly second: number;
  /** Decimal (ids may exceed 2^53); null: from the second's first record. */
  readonly minId: string | null;
  /** The end of the time window this second interrupted; it resumes at `second + 1`. */
  readonly resumeToSec: number | null;
}

export type UpdateWindow = TimeWindow | SecondWindow;

/** Where a cut window stopped: the last record that counts for resuming (see `resumesFrom`). */
export interface CutPoint {
  readonly second: number;
  readonly id: string;
}

/** A window's cursor either ran out or was cut after `maxRecords` records. */
export type WindowEnd = { readonly complete: true } | { readonly complete: false; readonly cut: CutPoint | null };

/**
 * The first window: updated since `sinceMs` (its second included) up to the listing's start.
 * Once that range is done one open window follows, for records updated while the listing ran.
 */
export function firstWindow(sinceMs: number | undefined, nowMs: number): UpdateWindow {
  const fromSec = sinceMs === undefined ? null : Math.floor(sinceMs / 1000);
  return timeWindow(1, fromSec, Math.floor(nowMs / 1000) + 1);
}

/** The window after `window`, or null when the listing is complete. */
export function nextWindow(window: UpdateWindow, end: WindowEnd): UpdateWindow | null {
  const index = window.index + 1;
  if (window.kind === 'second') {
    if (end.complete) return timeWindow(index, window.second + 1, window.resumeToSec);
    if (!end.cut) throw new Error(`window ${window.index} was cut without a last record`);
    return { ...window, index, minId: (BigInt(end.cut.id) + 1n).toString() };
  }
  if (end.complete) return window.toSec === null ? null : timeWindow(index, window.toSec, null);
  // Every record came back with an updatedAt outside the range queried: resuming from any of
  // them could skip records, and there is nothing else to resume from.
  if (!end.cut) throw new Error(`window ${window.index}: none of its records was updated inside it; cannot resume`);
  if (window.fromSec === null || end.cut.second > window.fromSec) return timeWindow(index, end.cut.second, window.toSec);
  // The whole window sat in its first second: resuming there would not move on.
  return { kind: 'second', index, second: end.cut.second, minId: null, resumeToSec: window.toSec };
}

/**
 * Whether a record listed in `window` may be resumed from. In a time window only records
 * whose updatedAt lies inside it: a record updated while the search index still held its old
 * version is sorted by the old one but shows the new one, and resuming from that would skip.
 */
export function resumesFrom(window: UpdateWindow, second: number): boolean {
  if (window.kind === 'second') return true;
  return (window.fromSec === null || second >= window.fromSec) && (window.toSec === null || second < window.toSec);
}

/** The `query:` argument (Shopify search syntax; time filters compare whole seconds). */
export function windowQuery(window: UpdateWindow): string | null {
  if (window.kind === 'second') {
    const terms = [`updated_at:>='${isoSecond(window.second)}'`, `updated_at:<'${isoSecond(window.second + 1)}'`];
    if (window.minId !== null) terms.push(`id:>=${window.minId}`);
    return terms.join(' AND ');
  }
  const terms: string[] = [];
  if (window.fromSec !== null) terms.push(`updated_at:>='${isoSecond(window.fromSec)}'`);
  if (window.toSec !== null) terms.push(`updated_at:<'${isoSecond(window.toSec)}'`);
  return terms.length === 0 ? null : terms.join(' AND ');
}

/** The lowest updated_at second a window matches; null: unbounded. */
export function lowestSecond(window: UpdateWindow): number | null {
  return window.kind === 'second' ? window.second : window.fromSec;
}

export function windowSortKey(window: UpdateWindow): 'UPDATED_AT' | 'ID' {
  return window.kind === 'second' ? 'ID' : 'UPDATED_AT';
}

/** For progress: `window 3 (2026-01-01T00:00:00Z → 2026-02-01T00:00:00Z)`. */
export function describeWindow(window: UpdateWindow): string {
  if (window.kind === 'second') {
    return `window ${window.index} (${isoSecond(window.second)}${window.minId === null ? '' : `, ids ≥ ${window.minId}`})`;
  }
  const from = window.fromSec === null ? 'oldest' : isoSecond(window.fromSec);
  const to = window.toSec === null ? 'now' : isoSecond(window.toSec);
  return `window ${window.index} (${from} → ${to})`;
}

/** Whole seconds of an ISO-8601 instant (Shopify's updatedAt has no fraction). */
export function secondOf(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 instant: ${iso}`);
  return Math.floor(ms / 1000);
}

function timeWindow(index: number, fromSec: number | null, toSec: number | null): TimeWindow {
  // An empty bounded range (resumed at its end, or `since` after the start) leaves only the open window.
  if (fromSec !== null && toSec !== null && fromSec >= toSec) return { kind: 'time', index, fromSec, toSec: null };
  return { kind: 'time', index, fromSec, toSec };
}

function isoSecond(second: number): string {
  return new Date(second * 1000).toISOString().replace('.000Z', 'Z');
}
