import { describe, expect, it } from 'vitest';
import { KeyedScheduler, type KeyedRecord } from './keyed-scheduler.js';
import { OffsetTracker } from './offset-tracker.js';

interface Value {
  readonly version: number;
}

/** A scheduler whose runs finish only when the test says so. */
function harness(concurrency: number, compare?: (a: Value, b: Value) => number) {
  const started: {
    record: KeyedRecord<Value>;
    superseded: readonly KeyedRecord<Value>[];
    finish: () => void;
    fail: (e: Error) => void;
    done: boolean;
  }[] = [];
  const scheduler = new KeyedScheduler<Value>({
    concurrency,
    ...(compare ? { compare } : {}),
    run: (record, superseded) =>
      new Promise<void>((resolve, reject) => {
        started.push({ record, superseded, finish: resolve, fail: reject, done: false });
      }),
  });
  let offset = 0;
  const push = (key: string, version = offset) => scheduler.push({ offset: String(offset++), key, value: { version } });
  const running = (key: string) => {
    const entry = started.find((s) => s.record.key === key && !s.done);
    if (!entry) throw new Error(`nothing running for ${key}`);
    return entry;
  };
  const finish = async (key: string) => {
    const entry = running(key);
    entry.done = true;
    entry.finish();
    await flush();
  };
  return { scheduler, started, push, finish, running };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('KeyedScheduler', () => {
  it('runs records of one key strictly in order, one at a time', async () => {
    const h = harness(4);
    h.push('a');
    h.push('b');
    h.push('a');
    expect(h.started.map((s) => s.record.offset)).toEqual(['0', '1']);
    await h.finish('a');
    expect(h.started.map((s) => s.record.offset)).toEqual(['0', '1', '2']);
  });

  it('runs different keys concurrently up to the limit', async () => {
    const h = harness(2);
    for (const key of ['a', 'b', 'c', 'd']) h.push(key);
    expect(h.started.map((s) => s.record.key)).toEqual(['a', 'b']);
    expect(h.scheduler.stats).toMatchObject({ running: 2, queued: 2 });
    await h.finish('b');
    expect(h.started.map((s) => s.record.key)).toEqual(['a', 'b', 'c']);
    await h.finish('a');
    expect(h.started.map((s) => s.record.key)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('coalesces queued versions of a key into one run of the newest', async () => {
    const h = harness(2);
    h.push('a');
    h.push('a');
    h.push('b');
    h.push('a');
    h.push('a');
    await h.finish('a');
    const second = h.running('a');
    expect(second.record.offset).toBe('4');
    expect(second.superseded.map((r) => r.offset)).toEqual(['1', '3']);
    expect(h.scheduler.stats.coalesced).toBe(2);
  });

  it('coalesces by version: an older version delivered later does not win', async () => {
    const h = harness(1, (a, b) => a.version - b.version);
    h.push('a', 1);
    h.push('a', 3);
    h.push('a', 2);
    await h.finish('a');
    const run = h.running('a');
    expect(run.record.value.version).toBe(3);
    expect(run.superseded.map((r) => r.value.version)).toEqual([2]);
  });

  it('makes offsets committable only below the lowest unfinished record', async () => {
    const h = harness(3);
    h.push('a'); // 0
    h.push('b'); // 1
    h.push('c'); // 2
    expect(h.scheduler.committableOffset()).toBeNull();
    await h.finish('b');
    expect(h.scheduler.committableOffset()).toBeNull();
    await h.finish('a');
    expect(h.scheduler.committableOffset()).toBe('2');
    await h.finish('c');
    expect(h.scheduler.committableOffset()).toBe('3');
  });

  it('superseded records finish with the run that replaced them', async () => {
    const h = harness(2);
    h.push('a'); // 0 runs
    h.push('a'); // 1 queued
    h.push('b'); // 2 runs
    h.push('a'); // 3 queued
    await h.finish('a'); // 0 done; 3 runs, 1 superseded
    await h.finish('b'); // 2 done
    expect(h.scheduler.committableOffset()).toBe('1');
    await h.finish('a');
    expect(h.scheduler.committableOffset()).toBe('4');
    await expect(h.scheduler.idle()).resolves.toBeUndefined();
  });

  it('stops on a failed run: idle rejects and nothing from it on becomes committable', async () => {
    const h = harness(2);
    h.push('a'); // 0
    h.push('b'); // 1
    const idle = h.scheduler.idle();
    h.running('a').fail(new Error('redis down'));
    await flush();
    await h.finish('b');
    await expect(idle).rejects.toThrow('redis down');
    expect(h.scheduler.committableOffset()).toBeNull();
    expect(() => h.push('c')).toThrow();
  });

  it('settles only once every run has finished, also after a failure', async () => {
    const h = harness(2);
    h.push('a'); // 0
    h.push('b'); // 1
    h.running('a').fail(new Error('redis down'));
    await flush();
    let settled = false;
    void h.scheduler.settled().then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    await h.finish('b');
    expect(settled).toBe(true);
  });

  it('holds every invariant under random interleavings', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      let state = seed;
      const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const concurrency = 1 + Math.floor(random() * 4);
      const active: { key: string; offsets: number[]; finish: () => void }[] = [];
      const handled = new Map<number, number>();
      const lastStarted = new Map<string, number>();
      let maxParallel = 0;
      const scheduler = new KeyedScheduler<Value>({
        concurrency,
        compare: (a, b) => a.version - b.version,
        run: (record, superseded) => {
          const key = record.key;
          expect(active.some((r) => r.key === key)).toBe(false);
          const offsets = [record, ...superseded].map((r) => Number(r.offset));
          // Per key, each run covers only records after those of the previous run.
          expect(Math.min(...offsets)).toBeGreaterThan(lastStarted.get(key) ?? -1);
          lastStarted.set(key, Math.max(...offsets));
          return new Promise<void>((resolve) => {
            active.push({ key, offsets, finish: resolve });
            maxParallel = Math.max(maxParallel, active.length);
          });
        },
      });
      const total = 60;
      const finished = new Set<number>();
      let pushed = 0;
      while (pushed < total || active.length > 0) {
        if (pushed < total && (active.length === 0 || random() < 0.6)) {
          const key = `k${Math.floor(random() * 6)}`;
          // Versions mostly rise with offsets, sometimes arrive out of order.
          scheduler.push({ offset: String(pushed), key, value: { version: pushed + Math.floor(random() * 3) } });
          pushed++;
        } else {
          const [run] = active.splice(Math.floor(random() * active.length), 1);
          if (!run) continue;
          run.finish();
          for (const o of run.offsets) {
            handled.set(o, (handled.get(o) ?? 0) + 1);
            finished.add(o);
          }
          await flush();
        }
        const committable = scheduler.committableOffset();
        if (committable !== null) {
          for (let o = 0; o < Number(committable); o++) expect(finished.has(o)).toBe(true);
        }
      }
      expect(maxParallel).toBeLessThanOrEqual(concurrency);
      expect([...handled.values()].every((n) => n === 1)).toBe(true);
      expect(handled.size).toBe(total);
      expect(scheduler.committableOffset()).toBe(String(total));
    }
  });
});

describe('OffsetTracker', () => {
  it('handles gaps between offsets', () => {
    const tracker = new OffsetTracker();
    tracker.register(10n);
    tracker.register(12n);
    tracker.register(15n);
    tracker.finish(10n);
    expect(tracker.committable()).toBe(12n);
    tracker.finish(15n);
    expect(tracker.committable()).toBe(12n);
    tracker.finish(12n);
    expect(tracker.committable()).toBe(16n);
  });
});
