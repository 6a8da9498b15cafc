// The one-line verdict of `explain` and the command that fixes it, decided from the gathered
// facts alone (pure). Rules, first match wins:
//   1. nothing on any topic, no link, no letter      → never received (or not found in the destination)
//   2. a pending dead letter newer than the applied version → dead-lettered (redrive it)
//   3. link DELETED / COMPLETED                      → deleted / completed
//   4. the newest version seen is applied:  copy gone from the source → copy lost (replay --force);
//      that version came more than once and a repeat was skipped STALE → stale duplicate; else synced
//   5. otherwise the newest version's mapped record explains it: a mapper SKIP (unmapped variants,
//      mapped now or not; settings; loop), or the writer's last outcome; none yet → in flight
import type { SyncOutcome } from '../contracts/sync-event.js';
import { compareVersions, isNewer, isSameVersion } from '../domain/versions.js';
import type { DeadLetterFact, EventFact, ExplainFacts, MappedFact, RawFact } from './explain-facts.js';
import { shortShop } from './explain-ref.js';

export type VerdictKind =
  | 'synced'
  | 'stale-duplicate'
  | 'unmapped'
  | 'mapped-since'
  | 'skipped'
  | 'dead-lettered'
  | 'failed'
  | 'deleted'
  | 'completed'
  | 'copy-lost'
  | 'in-flight'
  | 'never-received'
  | 'not-found';

export interface Verdict {
  readonly kind: VerdictKind;
  /** True when nothing needs doing (the CLI exits 0; 2 otherwise). */
  readonly ok: boolean;
  readonly summary: string;
  /** What to run or do, commands in backticks; null when nothing. */
  readonly fix: string | null;
  /** `summary — fix`. */
  readonly line: string;
}

function verdict(kind: VerdictKind, ok: boolean, summary: string, fix: string | null = null): Verdict {
  return { kind, ok, summary, fix, line: fix === null ? summary : `${summary} — ${fix}` };
}

export function decideVerdict(f: ExplainFacts): Verdict {
  const applied = f.link?.appliedVersion ?? null;
  if (f.raw.length === 0 && f.mapped.length === 0 && f.events.length === 0 && f.link === null && f.deadLetters.length === 0) return neverReceived(f);
  const letter = pendingLetter(f.deadLetters, applied);
  if (letter) return verdict('dead-lettered', false, `dead-lettered by the ${letter.stage}: ${oneLine(letter.reason)}`, `fix the cause, then \`draft-sync dlq redrive --id ${letter.id}\``);
  if (f.link?.status === 'DELETED') return deleted(f, applied);
  if (f.link?.status === 'COMPLETED') return verdict('completed', true, `completed in ${shortShop(f.shop)}: ${theCopy(f)} was tagged or deleted per onCompleted (version ${applied ?? '?'})`);
  const newest = newestVersion(f);
  if (applied !== null && f.link?.sourceDraftId && (newest === null || !isNewer(newest, applied))) return appliedVerdict(f, applied);
  return notApplied(f, newest);
}

function neverReceived(f: ExplainFacts): Verdict {
  const what = f.kind === 'order' ? `order ${f.name ?? f.id}` : `draft ${f.name ?? f.id}`;
  if (f.destination?.state === 'missing') {
    return verdict('not-found', false, `not found: ${shortShop(f.shop)} has no ${what} and no record of it reached the pipeline`, 'check the id (a record deleted before any webhook was received leaves no trace)');
  }
  if (f.kind === 'order' && !f.orderTrigger) {
    return verdict('skipped', false, `not synced: orders do not sync on connection ${f.connectionId} (orderTrigger off), so none is received`, `\`draft-sync settings set --connection ${f.connectionId} orderTrigger=yes\` (or the settings page), then \`draft-sync backfill --shop ${f.shop}\``);
  }
  const since = f.since ? ` since ${f.since}` : '';
  // Reconcile lists drafts only; orders come back through a backfill.
  const feed = f.kind === 'order' ? `draft-sync backfill --shop ${f.shop}` : `draft-sync reconcile --shop ${f.shop}`;
  return verdict(
    'never-received',
    false,
    `never received: no webhook, backfill or reconcile record for it${since}`,
    `run \`${feed}\` (and check \`draft-sync stores check --shop ${f.shop}\`)`,
  );
}

/** The newest letter not yet redriven whose record is newer than what was applied (or unknown). */
function pendingLetter(letters: readonly DeadLetterFact[], applied: string | null): DeadLetterFact | undefined {
  return letters.filter((l) => l.redriven === null && (l.version === null || isNewer(l.version, applied))).at(-1);
}

function deleted(f: ExplainFacts, applied: string | null): Verdict {
  const where = shortShop(f.shop);
  const version = applied ? ` (version ${applied})` : '';
  if (!f.link?.sourceDraftId) return verdict('deleted', true, `deleted in ${where}${version}: no copy had been made`);
  if (f.sourceCopy.state === 'found') {
    return verdict('deleted', false, `deleted in ${where}${version}, but ${shortShop(f.sourceShop)} still holds ${f.sourceCopy.name}`, `delete ${f.sourceCopy.name} in ${f.sourceShop} by hand`);
  }
  return verdict('deleted', true, `deleted in ${where}: ${theCopy(f)} was deleted${version}`);
}

function appliedVerdict(f: ExplainFacts, applied: string): Verdict {
  if (f.sourceCopy.state === 'missing') {
    return verdict('copy-lost', false, `${theCopy(f)} is gone from ${shortShop(f.sourceShop)} (deleted there)`, `recreate it: \`${replayCommand(f, applied)}\``);
  }
  const unknown = f.sourceCopy.state === 'unknown' ? ` (the source store was not asked: ${f.sourceCopy.reason})` : '';
  const holds = `${copyName(f) ?? 'the copy'} holds version ${applied}`;
  const sameVersion = f.raw.filter((r) => r.version !== null && isSameVersion(r.version, applied));
  const firstOfApplied = sameVersion[0];
  const staleSkipped = firstOfApplied
    ? f.raw.filter((r) => BigInt(r.offset) >= BigInt(firstOfApplied.offset) && r.version !== null && compareVersions(r.version, applied) <= 0 && isStaleSkip(lastOutcome(outcomesOf(f, r))))
    : [];
  const older = staleSkipped.find((r) => r.repeat === 'older');
  if (older) return verdict('stale-duplicate', true, `stale: an older version (${older.version ?? '?'}, ${older.source} at ${older.at}) arrived after ${applied} and was skipped as STALE — ${holds}, nothing to do${unknown}`);
  if (staleSkipped.length > 0 && sameVersion.length > 1) {
    const sources = sameVersion.map((r) => r.source).join(', ');
    return verdict('stale-duplicate', true, `stale duplicate: version ${applied} arrived ${sameVersion.length} times (${sources}); the writer applied it once and skipped the repeat as STALE — ${holds}, nothing to do${unknown}`);
  }
  // With `unmapped: partial|custom` a copy is written without (or with custom lines for) unmapped variants.
  const unmapped = lastMapped(f, applied)?.missingVariants.map((v) => v.id) ?? [];
  const how = f.unmappedPolicy === 'custom' ? 'as custom lines' : 'left out';
  const note = unmapped.length > 0 ? ` (${unmapped.length} unmapped line(s) ${how}: ${unmapped.join(', ')})` : '';
  return verdict('synced', true, `synced: ${holds}${note}${unknown}`, unmapped.length > 0 ? `to sync them as products, map them, then \`${replayCommand(f, applied)}\`` : null);
}

function notApplied(f: ExplainFacts, newest: string | null): Verdict {
  const m = newest === null ? f.mapped.at(-1) : lastMapped(f, newest);
  if (!m) {
    const r = newest === null ? f.raw.at(-1) : f.raw.find((x) => x.version !== null && isSameVersion(x.version, newest));
    const what = r ? `version ${r.version ?? '?'} (${r.source} at ${r.at})` : 'its newest record';
    return verdict('in-flight', false, `in flight: the mapper has not mapped ${what} yet`, 'check the mapper\u2019s lag with `draft-sync status`');
  }
  if (m.action === 'SKIP') return mapperSkip(f, m);
  const last = lastOutcome(f.events.filter((e) => e.mappedOffset === m.offset));
  if (!last) return verdict('in-flight', false, `in flight: version ${m.version} was mapped (${m.action}, ${m.at}) but has no writer outcome yet`, 'check the writer\u2019s lag with `draft-sync status`');
  switch (last.outcome) {
    case 'FAILED':
      return verdict('failed', false, `failed in the writer: ${oneLine(last.reason ?? 'no reason given')}`, 'fix the cause, then redrive its letter (`draft-sync dlq list`)');
    case 'SKIPPED':
      return verdict('skipped', false, `skipped by the writer: ${last.reason ?? 'no reason given'} (version ${m.version})`);
    case 'DELETED':
      return verdict('deleted', true, `deleted in ${shortShop(f.shop)}: ${last.sourceDraftName ? `the copy ${last.sourceDraftName}` : 'the copy'} was deleted (version ${m.version})`);
    case 'COMPLETED':
      return verdict('completed', true, `completed in ${shortShop(f.shop)} (version ${m.version}): ${last.reason ?? 'the copy was finished'}`);
    default:
      return verdict('synced', true, `synced: ${last.sourceDraftName ?? last.sourceDraftId ?? 'the copy'} holds version ${m.version} (${last.outcome})`);
  }
}

function mapperSkip(f: ExplainFacts, m: MappedFact): Verdict {
  const replay = `\`${replayCommand(f, m.version)}\``;
  switch (m.skipReason) {
    case 'UNMAPPED': {
      const still = m.missingVariants.filter((v) => v.mappedNow === null);
      if (still.length === 0) return verdict('mapped-since', false, `skipped as unmapped, but its ${m.missingVariants.length} variant(s) are mapped now`, `run ${replay}`);
      return verdict(
        'unmapped',
        false,
        `${still.length} variant(s) unmapped (${still.map((v) => v.id).join(', ')})`,
        `map them (\`draft-sync mappings build|set --connection ${f.connectionId}\`), then ${replay}`,
      );
    }
    case 'SYNC_DISABLED':
      return verdict('skipped', false, `skipped: sync is disabled on connection ${f.connectionId}`, `\`draft-sync settings set --connection ${f.connectionId} draftOrderSync=yes\` (or the settings page), then ${replay}`);
    case 'ORDER_TRIGGER_OFF':
      return verdict('skipped', false, `skipped: orders do not sync on connection ${f.connectionId} (orderTrigger off)`, `\`draft-sync settings set --connection ${f.connectionId} orderTrigger=yes\` (or the settings page), then ${replay}`);
    case 'LOOP':
      return verdict('skipped', true, 'skipped: it carries a draft-sync tag, so it is itself a copy written by draft-sync');
    default:
      return verdict('skipped', false, `skipped by the mapper: ${m.skipReason ?? 'no reason given'} (version ${m.version})`);
  }
}

/** `replay --force` from when the first raw record of that version reached the topic. */
function replayCommand(f: ExplainFacts, version: string): string {
  const first = f.raw.find((r) => r.version !== null && isSameVersion(r.version, version)) ?? f.raw[0];
  return `draft-sync replay --force --shop ${f.shop} --from ${first?.at ?? f.since ?? '<when it was received>'}`;
}

function newestVersion(f: ExplainFacts): string | null {
  const versions = [...f.raw.map((r) => r.version), ...f.mapped.map((m) => m.version)].filter((v): v is string => v !== null);
  return versions.reduce<string | null>((a, v) => (a === null || compareVersions(v, a) > 0 ? v : a), null);
}

function lastMapped(f: ExplainFacts, version: string): MappedFact | undefined {
  return f.mapped.filter((m) => isSameVersion(m.version, version)).at(-1);
}

/** Events of the mapped records made from this raw record by the mapper itself. */
function outcomesOf(f: ExplainFacts, r: RawFact): EventFact[] {
  const offsets = new Set(f.mapped.filter((m) => m.direct && m.of === r.offset).map((m) => m.offset));
  return f.events.filter((e) => e.mappedOffset !== null && offsets.has(e.mappedOffset));
}

const INVOICE: readonly SyncOutcome[] = ['INVOICE_SENT', 'INVOICE_SKIPPED'];

/** The record's write outcome (invoice events follow it and say nothing about the copy). */
function lastOutcome(events: readonly EventFact[]): EventFact | undefined {
  return events.filter((e) => !INVOICE.includes(e.outcome)).at(-1);
}

function isStaleSkip(e: EventFact | undefined): boolean {
  return e?.outcome === 'SKIPPED' && (e.reason ?? '').startsWith('STALE');
}

function copyName(f: ExplainFacts): string | null {
  if (f.sourceCopy.state === 'found') return f.sourceCopy.name;
  return f.link?.sourceDraftName ?? f.link?.sourceDraftId ?? null;
}

function theCopy(f: ExplainFacts): string {
  const name = copyName(f);
  return name === null ? 'the copy' : `the copy ${name}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
