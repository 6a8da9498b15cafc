// Which raw records a replay re-drives (pure). The writer's rule decides in the end; this
// only drops records whose result is already known, so a replay of mostly-applied history
// costs neither mapped records nor sync events nor Shopify calls:
// - per key, only the newest version in a batch (the writer would coalesce or skip the rest);
// - without --force, versions not newer than the link's applied one (the writer's STALE skip);
// - with --force, versions older than the applied one: forcing them would roll a draft back
//   (e.g. below a newer live update), so force re-applies the applied version, never an older.
import type { RawWebhookEnvelope } from '../../contracts/raw-envelope.js';
import { keyOf } from '../../domain/keys.js';
import { versionOf } from '../../domain/map-draft.js';
import type { MappedDraftOrder } from '../../domain/model.js';
import type { SourceRecord } from '../../contracts/dead-letter.js';
import type { RecordPlan } from '../../map-stage/record-plan.js';
import { compareVersions, isNewer } from '../../domain/versions.js';
import type { Link } from '../../links/link.js';

export type ReplayablePlan = Extract<RecordPlan, { kind: 'map' | 'emit' }>;

export interface Candidate {
  readonly record: SourceRecord;
  readonly shopifyTopic: string;
  readonly plan: ReplayablePlan;
  readonly key: string;
  readonly version: string;
}

export type NotReplayedReason =
  /** --shop given and the record is another shop's. */
  | 'other_shop'
  /** Not among the keys asked for (reconcile --source re-drives only lost copies). */
  | 'other_key'
  /** Product webhooks: their mapping changes are not re-applied (history would undo newer mappings). */
  | 'product'
  /** Undecodable or invalid: the live mapper dead-lettered it already. */
  | 'invalid'
  | 'already_applied'
  | 'older_than_applied'
  /** A newer version of the same key is in the replay. */
  | 'superseded';

export type NotReplayedCounts = Record<NotReplayedReason, number>;

export function emptyNotReplayed(): NotReplayedCounts {
  return { other_shop: 0, other_key: 0, product: 0, invalid: 0, already_applied: 0, older_than_applied: 0, superseded: 0 };
}

/**
 * The plan re-marked as a replay (and forced when asked). Its rawId is prefixed so the writer
 * never takes it for a re-delivery of the original record (whose events it would re-publish)
 * and its events get ids of their own.
 */
export function asReplay(plan: ReplayablePlan, force: boolean): ReplayablePlan {
  if (plan.kind === 'map') return { ...plan, ctx: { ...plan.ctx, rawId: `replay:${plan.ctx.rawId}`, recordSource: 'replay', force } };
  const mapped: MappedDraftOrder = { ...plan.mapped, rawId: `replay:${plan.mapped.rawId}`, recordSource: 'replay', force };
  return { kind: 'emit', mapped };
}

export function candidateOf(record: SourceRecord, shopifyTopic: string, plan: ReplayablePlan): Candidate {
  if (plan.kind === 'map') return { record, shopifyTopic, plan, key: keyOf(plan.canonical.origin), version: versionOf(plan.canonical, plan.ctx).version };
  return { record, shopifyTopic, plan, key: plan.mapped.key, version: plan.mapped.version };
}

/**
 * Per key the newest version (the later record on a tie), in first-seen order. With
 * `appliedOf` (a forced replay), also the record of the version the link says is applied,
 * just before the newest: when the newer versions were skipped (unmapped, say), that is the
 * version a lost copy must come back at.
 */
export function newestPerKey(candidates: readonly Candidate[], counts: NotReplayedCounts, appliedOf?: (key: string) => string | null): Candidate[] {
  const newest = new Map<string, Candidate>();
  const applied = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const version = appliedOf?.(candidate.key) ?? null;
    if (version !== null && compareVersions(candidate.version, version) === 0) applied.set(candidate.key, candidate);
    const seen = newest.get(candidate.key);
    if (seen && compareVersions(candidate.version, seen.version) < 0) {
      counts.superseded++;
      continue;
    }
    if (seen) counts.superseded++;
    newest.set(candidate.key, candidate);
  }
  const out: Candidate[] = [];
  for (const [key, candidate] of newest) {
    const atApplied = applied.get(key);
    if (atApplied && atApplied !== candidate && compareVersions(candidate.version, atApplied.version) > 0) {
      counts.superseded--;
      out.push(atApplied);
    }
    out.push(candidate);
  }
  return out;
}

/**
 * Keeps the candidates the writer could still act on, given each key's link and the version
 * this replay already re-drove for it (`emitted`, updated for the kept ones).
 */
export function selectAgainstLinks(
  candidates: readonly Candidate[],
  links: ReadonlyMap<string, Link>,
  emitted: Map<string, string>,
  force: boolean,
  counts: NotReplayedCounts,
): Candidate[] {
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const before = emitted.get(candidate.key);
    if (before !== undefined && !isNewer(candidate.version, before)) {
      counts.superseded++;
      continue;
    }
    const applied = links.get(candidate.key)?.appliedVersion ?? null;
    if (force) {
      if (applied !== null && compareVersions(candidate.version, applied) < 0) {
        counts.older_than_applied++;
        continue;
      }
    } else if (!isNewer(candidate.version, applied)) {
      counts.already_applied++;
      continue;
    }
    emitted.set(candidate.key, candidate.version);
    kept.push(candidate);
  }
  return kept;
}

/**
 * The version a raw record carries, read cheaply (one JSON.parse, no validation) so records
 * already applied are set aside before the full normalisation; null when it cannot be read
 * (the record is then planned in full). Same sources as the mapper's: a delete's time, else
 * the body's updated_at (REST) / updatedAt (GraphQL).
 */
export function peekVersion(envelope: RawWebhookEnvelope): string | null {
  if (envelope.topic.toLowerCase().endsWith('/delete')) return envelope.triggeredAt ?? new Date(Number(envelope.receivedAt)).toISOString();
  try {
    const body: unknown = JSON.parse(envelope.body.toString('utf8'));
    if (typeof body !== 'object' || body === null) return null;
    const version = (body as Record<string, unknown>)[envelope.bodyFormat === 'rest' ? 'updated_at' : 'updatedAt'];
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

/** Whether a record of this version is known to be set aside by selectAgainstLinks anyway. */
export function knownOutcome(version: string, applied: string | null, force: boolean): 'already_applied' | 'older_than_applied' | null {
  if (applied === null) return null;
  if (force) return compareVersions(version, applied) < 0 ? 'older_than_applied' : null;
  return isNewer(version, applied) ? null : 'already_applied';
}
