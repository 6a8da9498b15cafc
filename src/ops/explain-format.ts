// The human-readable story of `explain` (pure): one entry per record on the raw topic, oldest
// first, with what the mapper made of it and the writer's outcomes beneath; replays and
// redrives as entries of their own; then dead letters, link, source copy and the verdict.
import type { EventFact, ExplainFacts, MappedFact, RawFact } from './explain-facts.js';
import type { Verdict } from './explain-verdict.js';

interface Entry {
  readonly at: string;
  readonly lines: readonly string[];
}

// Two spaces, an ISO-8601 time with milliseconds (24), two spaces.
const TIME = 28;
const indent = ' '.repeat(TIME);

export function formatStory(s: ExplainFacts & { readonly verdict: Verdict }): string {
  const lines = [
    `${s.key}${s.name ? ` (${s.name})` : ''} → ${s.sourceShop} (connection ${s.connectionId})`,
    `read: raw partition ${s.partitions.raw}, mapped partition ${s.partitions.mapped}, events partition ${s.partitions.events}, ${s.since ? `since ${s.since}` : 'whole history'}`,
  ];
  if (s.destination?.state === 'found') lines.push(`destination: ${s.destination.name} (id ${s.destination.id})${s.destination.status ? ` ${s.destination.status}` : ''}, updated ${s.destination.updatedAt}`);
  if (s.destination?.state === 'missing') lines.push(`destination: not found in ${s.shop}`);
  const entries = timeline(s);
  lines.push('', entries.length === 0 ? 'history: nothing on the topics for this key' : 'history (oldest first):');
  for (const e of entries) lines.push(...e.lines);
  lines.push('');
  lines.push(
    s.deadLetters.length === 0
      ? 'dead letters: none'
      : `dead letters:\n${s.deadLetters.map((l) => `  ${l.id}  ${l.stage}  ${l.failedAt}  ${l.redriven ? `redriven ${l.redriven.at}` : 'pending'}  ${l.reason.replace(/\s+/g, ' ')}`).join('\n')}`,
  );
  const link = s.link;
  lines.push(
    link === null
      ? 'link:        none (the writer never applied a version)'
      : `link:        ${link.sourceDraftName ?? '-'} (${link.sourceDraftId ?? 'no source draft'}), applied version ${link.appliedVersion ?? 'none'}, status ${link.status}${link.invoiceSent ? ', invoice sent' : ''}${link.createIntentAt ? `, create pending since ${link.createIntentAt}` : ''}`,
  );
  const copy = s.sourceCopy;
  const by = copy.state === 'unknown' ? '' : copy.lookedUpBy === 'id' ? 'by the link’s id' : 'by sync tag';
  lines.push(
    copy.state === 'found'
      ? `source copy: ${copy.name} in ${s.sourceShop} (${by}): ${copy.status}, updated ${copy.updatedAt}`
      : copy.state === 'missing'
        ? `source copy: none in ${s.sourceShop} (${by})`
        : `source copy: not known (${copy.reason})`,
  );
  lines.push(`verdict:     ${s.verdict.line}`);
  return `${lines.join('\n')}\n`;
}

function timeline(s: ExplainFacts): Entry[] {
  const nested = new Set<string>();
  const entries: Entry[] = s.raw.map((r) => {
    const own = s.mapped.filter((m) => m.direct && m.of === r.offset);
    for (const m of own) nested.add(m.offset);
    const letters = s.deadLetters.filter((l) => l.stage === 'mapper' && l.originOffset === r.offset).map((l) => `${indent}${'mapper'.padEnd(11)}dead-lettered ${l.id}`);
    return { at: r.at, lines: [rawLine(r), ...own.flatMap((m) => mappedLines(s, m, 'mapper')), ...letters] };
  });
  for (const m of s.mapped) if (!nested.has(m.offset)) entries.push({ at: m.at, lines: mappedLines(s, m, 'standalone') });
  for (const e of s.events) if (e.mappedOffset === null) entries.push({ at: e.at, lines: [`  ${e.at.padEnd(TIME - 2)}${eventLine(e)} (its mapped record is not in view)`] });
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

function rawLine(r: RawFact): string {
  const repeat = r.repeat === 'duplicate' ? '  (duplicate)' : r.repeat === 'older' ? '  (older than an earlier record)' : '';
  return `  ${r.at.padEnd(TIME - 2)}${`raw@${r.offset}`.padEnd(11)}${r.source.padEnd(10)} ${r.topic.padEnd(20)} version ${r.version ?? '?'}${repeat}`;
}

function mappedLines(s: ExplainFacts, m: MappedFact, as: 'mapper' | 'standalone'): string[] {
  const missing = m.missingVariants.map((v) => `${v.id} (${v.mappedNow === null ? 'still unmapped' : `mapped now → ${v.mappedNow}`})`).join(', ');
  const what = `${m.action}${m.skipReason ? ` ${m.skipReason}` : ''}${m.force ? ' (forced)' : ''} version ${m.version}${missing ? `  missing ${missing}` : ''}`;
  const head =
    as === 'mapper'
      ? `${indent}${`mapper@${m.offset}`.padEnd(11)}${what}`
      : `  ${m.at.padEnd(TIME - 2)}${`mapped@${m.offset}`.padEnd(11)}${m.recordSource}${m.of !== null ? ` of raw@${m.of}` : ''}: ${what}`;
  const events = s.events.filter((e) => e.mappedOffset === m.offset).map((e) => `${indent}${eventLine(e)}`);
  const letters = s.deadLetters.filter((l) => l.stage === 'writer' && l.originOffset === m.offset).map((l) => `${indent}${'writer'.padEnd(11)}dead-lettered ${l.id}`);
  return [head, ...events, ...letters];
}

function eventLine(e: EventFact): string {
  const copy = e.sourceDraftName ?? e.sourceDraftId;
  return `${`writer@${e.offset}`.padEnd(11)}${e.outcome}${e.reason ? ` ${e.reason.replace(/\s+/g, ' ')}` : ''}${copy ? `  ${copy}` : ''}`;
}
