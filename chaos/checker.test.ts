import { describe, expect, it } from 'vitest';
import { syncTagFor } from '../src/domain/keys.js';
import { seededRandom } from '../simulator/core/random.js';
import { check, signature, type SourceCopy } from './checker.js';
import { planLoad, versionKey, type DraftVersion } from './load-plan.js';
import type { ObservedOutcome } from './outcome-feed.js';

const plan = planLoad(seededRandom(3), { drafts: 4, minVersions: 3, maxVersions: 3, duplicateShare: 0.5, variants: 4, firstId: 100 }, 'test');
const sourceVariantOf = new Map(Array.from({ length: 4 }, (_, n) => [46_000_000 + n, 900 + n] as const));
const byId = (id: number): DraftVersion[] => plan.versions.filter((v) => v.id === id);
const allAcked = new Map(plan.versions.map((v) => [versionKey(v.key, v.updatedAt), 0] as const));
const outcomes: ObservedOutcome[] = plan.versions.map((v) => ({ key: v.key, version: Date.parse(v.updatedAt), outcome: 'UPDATED', reason: null, partition: 0, at: 0 }));

function copyOf(v: DraftVersion): SourceCopy {
  return { tags: ['From eu-brand', syncTagFor(v.key)], note: v.note, lines: [...v.lines].map(([variant, quantity]) => ({ variantId: sourceVariantOf.get(variant) ?? null, quantity })) };
}

const newest = (id: number): DraftVersion => byId(id).at(-1)!;

describe('chaos checker', () => {
  it('plans every draft with its versions, repeats after their first delivery', () => {
    expect(plan.versions).toHaveLength(12);
    expect(plan.deliveries.length).toBeGreaterThan(12);
    for (const [i, d] of plan.deliveries.entries()) if (d.repeat) expect(plan.deliveries.findIndex((x) => x.webhookId === d.webhookId)).toBeLessThan(i);
    expect(signature(newest(100), sourceVariantOf)).toContain('version 3');
  });

  it('finds nothing wrong when every draft shows its newest version once', () => {
    const result = check({ versions: plan.versions, acked: allAcked, copies: [100, 101, 102, 103].map((id) => copyOf(newest(id))), sourceVariantOf, outcomes });
    expect(result).toMatchObject({ drafts: 4, versionsAcknowledged: 12, lost: 0, duplicates: 0, stale: 0, mismatched: 0, unanswered: 0 });
  });

  it('counts a missing copy, a second copy, an older version, content of no version and a 200 without outcome', () => {
    const stale = copyOf(byId(102)[0]!);
    const foreign: SourceCopy = { ...copyOf(newest(103)), note: 'edited by hand' };
    const result = check({
      versions: plan.versions,
      acked: allAcked,
      copies: [copyOf(newest(101)), copyOf(newest(101)), stale, foreign],
      sourceVariantOf,
      outcomes: outcomes.slice(1),
    });
    expect(result).toMatchObject({ lost: 1, duplicates: 1, stale: 1, mismatched: 1, unanswered: 1 });
  });

  it('does not call a copy stale when the newer versions were never answered 200', () => {
    const firstOnly = new Map([[versionKey(byId(100)[0]!.key, byId(100)[0]!.updatedAt), 0]]);
    const result = check({ versions: byId(100), acked: firstOnly, copies: [copyOf(byId(100)[0]!)], sourceVariantOf, outcomes });
    expect(result).toMatchObject({ lost: 0, stale: 0, mismatched: 0 });
  });
});
