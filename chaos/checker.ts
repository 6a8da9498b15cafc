// The verdict: the source store compared with what was sent. Pure, so it is tested on its own.
import { syncTagFor } from '../src/domain/keys.js';
import { versionKey, type DraftVersion } from './load-plan.js';
import type { ObservedOutcome } from './outcome-feed.js';

/** A source draft as the checker needs it (the simulator's store model fits). */
export interface SourceCopy {
  readonly tags: readonly string[];
  readonly note: string | null;
  readonly lines: readonly { readonly variantId: number | null; readonly quantity: number }[];
}

export interface CheckInput {
  readonly versions: readonly DraftVersion[];
  /** versionKey → time of its first 200. */
  readonly acked: ReadonlyMap<string, number>;
  readonly copies: readonly SourceCopy[];
  /** Destination variant id → source variant id. */
  readonly sourceVariantOf: ReadonlyMap<number, number>;
  readonly outcomes: readonly ObservedOutcome[];
}

export interface CheckResult {
  readonly drafts: number;
  readonly versionsAcknowledged: number;
  /** Drafts with an acknowledged version and no source copy. */
  readonly lost: number;
  /** Extra copies (a draft with two copies counts one). */
  readonly duplicates: number;
  /** Copies showing a version older than the newest acknowledged one. */
  readonly stale: number;
  /** Copies whose content is no version that was sent. */
  readonly mismatched: number;
  /** Acknowledged versions without any writer outcome. */
  readonly unanswered: number;
  /** FAILED outcomes (dead-lettered by the writer). */
  readonly failed: number;
  /** A few of each problem, for the report. */
  readonly examples: readonly string[];
}

export function check(input: CheckInput): CheckResult {
  const examples: string[] = [];
  const note = (text: string): void => void (examples.length < 20 && examples.push(text));
  const byKey = groupVersions(input.versions);
  const copiesByTag = new Map<string, SourceCopy[]>();
  for (const copy of input.copies) for (const tag of copy.tags) if (tag.startsWith('dos-')) copiesByTag.set(tag, [...(copiesByTag.get(tag) ?? []), copy]);
  const outcomeKeys = new Set(input.outcomes.map((o) => `${o.key}@${o.version}`));

  let lost = 0, duplicates = 0, stale = 0, mismatched = 0, unanswered = 0, acknowledged = 0;
  for (const [key, versions] of byKey) {
    const ackedVersions = versions.filter((v) => input.acked.has(versionKey(key, v.updatedAt)));
    acknowledged += ackedVersions.length;
    for (const v of ackedVersions) {
      if (outcomeKeys.has(versionKey(key, v.updatedAt))) continue;
      unanswered++;
      note(`no outcome: ${key} version ${v.n}`);
    }
    const copies = copiesByTag.get(syncTagFor(key)) ?? [];
    if (ackedVersions.length === 0) continue;
    if (copies.length === 0) {
      lost++;
      note(`lost: ${key} (${ackedVersions.length} versions answered 200)`);
      continue;
    }
    if (copies.length > 1) {
      duplicates += copies.length - 1;
      note(`duplicate: ${key} has ${copies.length} copies`);
    }
    const shown = versions.find((v) => signature(v, input.sourceVariantOf) === copySignature(copies[0]!));
    const newestAcked = Math.max(...ackedVersions.map((v) => v.n));
    if (!shown) {
      mismatched++;
      note(`matches no version: ${key} shows ${copySignature(copies[0]!)}`);
    } else if (shown.n < newestAcked) {
      stale++;
      note(`stale: ${key} shows version ${shown.n}, newest answered 200 is ${newestAcked}`);
    }
  }
  const failed = input.outcomes.filter((o) => o.outcome === 'FAILED').length;
  return { drafts: byKey.size, versionsAcknowledged: acknowledged, lost, duplicates, stale, mismatched, unanswered, failed, examples };
}

function groupVersions(versions: readonly DraftVersion[]): Map<string, DraftVersion[]> {
  const out = new Map<string, DraftVersion[]>();
  for (const v of versions) out.set(v.key, [...(out.get(v.key) ?? []), v]);
  return out;
}

/** What the source copy of a version shows: the note and the mapped lines with their quantities. */
export function signature(v: DraftVersion, sourceVariantOf: ReadonlyMap<number, number>): string {
  const lines = [...v.lines].map(([variant, quantity]) => `${sourceVariantOf.get(variant) ?? `unmapped:${variant}`}x${quantity}`);
  return `${v.note} | ${lines.sort().join(',')}`;
}

export function copySignature(copy: SourceCopy): string {
  return `${copy.note ?? ''} | ${copy.lines.map((l) => `${l.variantId ?? 'custom'}x${l.quantity}`).sort().join(',')}`;
}
