// listRecords past a pagination cap, against an in-memory list paged and searched like the
// simulator: every record exactly once whatever the layout of updated_at seconds, records
// updated mid-listing again only when newer, and never a silent stop at the cap.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../simulator/core/random.js';
import { ListingStore } from '../../test/support/listing-store.js';
import { listRecords, type DestinationRecord, type ListingProgress, type ListOptions } from './destination.js';

const BASE_MS = Date.parse('2026-01-01T00:00:00Z');
const NOW_MS = BASE_MS + 86_400_000;
let nextId = 1_000_000_000_000;

/** `counts[i]` records updated in second i after BASE_MS (ms spread inside the second). */
function storeWith(limit: number | null, counts: readonly number[]): ListingStore {
  const store = new ListingStore(limit);
  counts.forEach((n, second) => {
    for (let k = 0; k < n; k++) store.put((nextId += 3), BASE_MS + second * 1000 + ((k * 37) % 1000));
  });
  return store;
}

async function list(store: ListingStore, opts: ListOptions): Promise<DestinationRecord[]> {
  const out: DestinationRecord[] = [];
  for await (const record of listRecords(store.request, 'draft', { now: () => NOW_MS, ...opts })) out.push(record);
  return out;
}

const sorted = (ids: readonly (string | number)[]): string[] => ids.map(String).sort();

describe('listRecords in updated_at windows', () => {
  it('lists 75 drafts exactly once through a cap of 20, ties at cuts and a second of 25 included', async () => {
    const store = storeWith(20, [3, 1, 25, 2, 8, 1, 5, 7, 4, 6, 3, 10]);
    const pages: ListingProgress[] = [];
    const records = await list(store, { windowRecords: 20, onPage: (p) => pages.push(p) });

    expect(records).toHaveLength(75);
    expect(sorted(records.map((r) => r.id))).toEqual(sorted(store.ids));
    // The second of 25 is paged by id; every page stayed within the cap (paginate would throw).
    expect(store.queries.some((q) => q?.includes('id:>=') === true)).toBe(true);
    expect(Math.max(...pages.map((p) => p.windowRecords))).toBe(20);
    expect(pages.at(-1)?.listed).toBe(75);
    expect(new Set(pages.map((p) => p.window.index)).size).toBeGreaterThan(4);
  });

  it('lists every record exactly once for random layouts, caps and window sizes', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(seed);
      const limit = 5 + Math.floor(random() * 26);
      const windowRecords = 1 + Math.floor(random() * limit);
      // Mostly sparse seconds, some crowded ones (up to three windows' worth in one second).
      const counts = Array.from({ length: 1 + Math.floor(random() * 40) }, () => (random() < 0.15 ? Math.floor(random() * windowRecords * 3) : Math.floor(random() * 4)));
      const store = storeWith(limit, counts);
      const records = await list(store, { windowRecords });
      expect({ seed, ids: sorted(records.map((r) => r.id)) }).toEqual({ seed, ids: sorted(store.ids) });
    }
  });

  it('starts at since, its whole second included', async () => {
    const store = storeWith(null, [2, 3, 4]);
    const records = await list(store, { sinceMs: BASE_MS + 1999, windowRecords: 2 });
    expect(records.map((r) => r.updatedAt)).toEqual([...Array<string>(3).fill('2026-01-01T00:00:01Z'), ...Array<string>(4).fill('2026-01-01T00:00:02Z')]);
  });

  it('lists a record updated mid-listing again only with its newer updatedAt', async () => {
    const store = storeWith(20, [10, 10, 10, 10]);
    const [early, late] = [store.ids[0]!, store.ids[35]!];
    // After the second page: one listed record and one not yet listed are updated.
    store.beforePage = (page) => {
      if (page !== 2) return;
      store.put(early, NOW_MS + 5000);
      store.put(late, NOW_MS + 5000);
    };
    const records = await list(store, { windowRecords: 20 });

    const versions = (id: number): string[] => records.filter((r) => r.id === String(id)).map((r) => r.updatedAt);
    expect(versions(early)).toEqual(['2026-01-01T00:00:00Z', '2026-01-02T00:00:05Z']);
    expect(versions(late)).toEqual(['2026-01-02T00:00:05Z']);
    expect(records).toHaveLength(41);
    expect(new Set(records.map((r) => `${r.id}@${r.updatedAt}`)).size).toBe(41);
  });

  it('fails loudly, never stops short, when windows are larger than the store lets a cursor go', async () => {
    const store = storeWith(20, [30]);
    await expect(list(store, { windowRecords: 25 })).rejects.toThrow(/Cannot paginate past the 20th object/);
  });

  it('refuses a window size that is not a positive integer', async () => {
    await expect(list(storeWith(null, [1]), { windowRecords: 0 })).rejects.toThrow(/positive integer/);
  });
});
