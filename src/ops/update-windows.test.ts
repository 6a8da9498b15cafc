// The window planner on its own: where windows start and end, how a cut window resumes, and
// the queries and labels it produces.
import { describe, expect, it } from 'vitest';
import { describeWindow, firstWindow, nextWindow, resumesFrom, secondOf, windowQuery, windowSortKey, type UpdateWindow } from './update-windows.js';

const sec = (iso: string): number => secondOf(iso);
const JAN = sec('2026-01-01T00:00:00Z');
const NOW_MS = Date.parse('2026-03-01T12:00:00.400Z');
const UNTIL = sec('2026-03-01T12:00:01Z');

describe('update windows', () => {
  it('starts at since (its second) or unbounded, and ends just after the listing start', () => {
    expect(firstWindow(undefined, NOW_MS)).toEqual({ kind: 'time', index: 1, fromSec: null, toSec: UNTIL });
    expect(firstWindow(Date.parse('2026-01-01T00:00:00.900Z'), NOW_MS)).toEqual({ kind: 'time', index: 1, fromSec: JAN, toSec: UNTIL });
    // since after the start: only the open window is left
    expect(firstWindow(NOW_MS + 60_000, NOW_MS)).toMatchObject({ fromSec: UNTIL + 59, toSec: null });
  });

  it('follows a completed bounded window with one open window, and ends after it', () => {
    const first = firstWindow(undefined, NOW_MS);
    const open = nextWindow(first, { complete: true });
    expect(open).toEqual({ kind: 'time', index: 2, fromSec: UNTIL, toSec: null });
    expect(nextWindow(open!, { complete: true })).toBeNull();
  });

  it('resumes a cut window at the second of its last in-range record, keeping its end', () => {
    const first = firstWindow(undefined, NOW_MS);
    expect(nextWindow(first, { complete: false, cut: { second: JAN + 5, id: '7' } })).toEqual({ kind: 'time', index: 2, fromSec: JAN + 5, toSec: UNTIL });
    const resumed: UpdateWindow = { kind: 'time', index: 2, fromSec: JAN, toSec: UNTIL };
    expect(nextWindow(resumed, { complete: false, cut: { second: JAN + 1, id: '7' } })).toMatchObject({ fromSec: JAN + 1, toSec: UNTIL });
  });

  it('pages a second by id when a whole window sat in its first second', () => {
    const window: UpdateWindow = { kind: 'time', index: 4, fromSec: JAN, toSec: UNTIL };
    const second = nextWindow(window, { complete: false, cut: { second: JAN, id: '1000000000009' } });
    expect(second).toEqual({ kind: 'second', index: 5, second: JAN, minId: null, resumeToSec: UNTIL });
    // cut again: ids after the last one (exact beyond 2^53)
    const more = nextWindow(second!, { complete: false, cut: { second: JAN, id: '9007199254740993' } });
    expect(more).toEqual({ kind: 'second', index: 6, second: JAN, minId: '9007199254740994', resumeToSec: UNTIL });
    // done: the interrupted time window goes on with the next second
    expect(nextWindow(more!, { complete: true })).toEqual({ kind: 'time', index: 7, fromSec: JAN + 1, toSec: UNTIL });
  });

  it('hands a second that ends the bounded range over to the open window', () => {
    const last: UpdateWindow = { kind: 'second', index: 3, second: UNTIL - 1, minId: null, resumeToSec: UNTIL };
    expect(nextWindow(last, { complete: true })).toEqual({ kind: 'time', index: 4, fromSec: UNTIL, toSec: null });
    const inOpen: UpdateWindow = { kind: 'second', index: 3, second: UNTIL + 9, minId: '5', resumeToSec: null };
    expect(nextWindow(inOpen, { complete: true })).toEqual({ kind: 'time', index: 4, fromSec: UNTIL + 10, toSec: null });
  });

  it('refuses to resume without a record inside the window', () => {
    const window: UpdateWindow = { kind: 'time', index: 2, fromSec: JAN, toSec: UNTIL };
    expect(() => nextWindow(window, { complete: false, cut: null })).toThrow(/cannot resume/);
  });

  it('resumes only from records updated inside the window', () => {
    const window: UpdateWindow = { kind: 'time', index: 2, fromSec: JAN, toSec: JAN + 10 };
    expect(resumesFrom(window, JAN)).toBe(true);
    expect(resumesFrom(window, JAN + 9)).toBe(true);
    // shown newer than it was matched by (the search index lagged): not a safe place to resume
    expect(resumesFrom(window, JAN + 10)).toBe(false);
    expect(resumesFrom({ kind: 'second', index: 1, second: JAN, minId: null, resumeToSec: null }, JAN + 99)).toBe(true);
  });

  it('writes Shopify search queries and sort keys', () => {
    expect(windowQuery({ kind: 'time', index: 1, fromSec: null, toSec: null })).toBeNull();
    expect(windowQuery({ kind: 'time', index: 1, fromSec: null, toSec: UNTIL })).toBe("updated_at:<'2026-03-01T12:00:01Z'");
    expect(windowQuery({ kind: 'time', index: 2, fromSec: JAN, toSec: UNTIL })).toBe("updated_at:>='2026-01-01T00:00:00Z' AND updated_at:<'2026-03-01T12:00:01Z'");
    expect(windowQuery({ kind: 'time', index: 3, fromSec: JAN, toSec: null })).toBe("updated_at:>='2026-01-01T00:00:00Z'");
    const second: UpdateWindow = { kind: 'second', index: 4, second: JAN, minId: '42', resumeToSec: null };
    expect(windowQuery(second)).toBe("updated_at:>='2026-01-01T00:00:00Z' AND updated_at:<'2026-01-01T00:00:01Z' AND id:>=42");
    expect(windowSortKey(second)).toBe('ID');
    expect(windowSortKey({ kind: 'time', index: 1, fromSec: null, toSec: null })).toBe('UPDATED_AT');
  });

  it('describes windows for progress', () => {
    expect(describeWindow({ kind: 'time', index: 3, fromSec: JAN, toSec: sec('2026-02-01T00:00:00Z') })).toBe('window 3 (2026-01-01T00:00:00Z → 2026-02-01T00:00:00Z)');
    expect(describeWindow({ kind: 'time', index: 1, fromSec: null, toSec: null })).toBe('window 1 (oldest → now)');
    expect(describeWindow({ kind: 'second', index: 2, second: JAN, minId: '42', resumeToSec: null })).toBe('window 2 (2026-01-01T00:00:00Z, ids ≥ 42)');
  });
});
