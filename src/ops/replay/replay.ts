// replay: re-drives raw-topic history through the mapper's logic and the live writer.
//
// Safe beside the live pipeline: the raw topic is read with a throw-away group (no live
// group's offsets move); records are mapped in-process exactly as the mapper maps them,
// marked recordSource 'replay' (and force), and produced to the mapped topic with their
// origin key, so the live writer applies them in per-key order, idempotently by version.
// Records whose outcome is already known are not re-driven at all (see select.ts).
// The summary follows the sync-events topic until every re-driven record has its outcome.
import type { KafkaMessage, Message } from 'kafkajs';
import type { RawWebhookEnvelope } from '../../contracts/raw-envelope.js';
import { RedisMappingStore } from '../../variant-mappings/index.js';
import type { AppConfig } from '../../shared/config/index.js';
import { coPartitioned } from '../../shared/kafka/topics.js';
import { mapBatch, type MapBatchDeps } from '../../map-stage/map-batch.js';
import { planEnvelope } from '../../map-stage/record-plan.js';
import { batchedLookup } from '../../map-stage/variant-lookup.js';
import { LinkStore } from '../../links/link-store.js';
import type { Infra } from '../../shared/infra.js';
import { silentProgress, type Progress } from '../progress.js';
import { endOffsets, ephemeralGroupId, followTopic, rangesOf, rangeSize, readRanges, type RangeBatch } from '../../shared/kafka/topic-range.js';
import { ReplayOutcomes, type OutcomeTally } from './outcomes.js';
import {
  asReplay,
  candidateOf,
  emptyNotReplayed,
  knownOutcome,
  newestPerKey,
  peekVersion,
  selectAgainstLinks,
  type Candidate,
  type NotReplayedCounts,
} from './select.js';

export interface ReplayOptions {
  readonly fromMs: number;
  readonly toMs?: number;
  /** Only this destination shop's records. */
  readonly shop?: string;
  /** Only these origin keys (`{shop}/{kind}/{id}`). */
  readonly keys?: ReadonlySet<string>;
  readonly force: boolean;
  /** How long to wait for the outcomes after the last record was re-driven. */
  readonly waitMs: number;
  /** Skip following the outcomes (the benchmark measures them its own way). */
  readonly followOutcomes?: boolean;
}

export interface ReplaySummary {
  readonly from: string;
  readonly to: string | null;
  readonly shop: string | null;
  readonly force: boolean;
  /** Raw records read in the window. */
  readonly scanned: number;
  /** Whole run up to the end of the scan (group joins included; outcome wait excluded). */
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /** From the first batch read to the last one handled: the steady re-examination rate. */
  readonly scanRecordsPerSecond: number;
  /** Records sent to the mapped topic for the writer. */
  readonly redriven: number;
  readonly notReplayed: NotReplayedCounts;
  readonly outcomes: OutcomeTally | null;
}

export async function runReplay(infra: Infra, config: AppConfig, opts: ReplayOptions, progress: Progress = silentProgress): Promise<ReplaySummary> {
  const started = performance.now();
  const admin = await infra.admin();
  const codecs = await infra.codecs();
  const producer = await infra.producer();
  const redis = infra.redis();
  const { topics, names: settings } = infra;
  const shop = opts.shop?.toLowerCase();

  const ranges = await rangesOf(admin, topics.raw, opts.fromMs, opts.toMs);
  const total = rangeSize(ranges);
  const outcomes = new ReplayOutcomes();
  const follow = opts.followOutcomes !== false;
  // Outcomes can only come after the first re-driven record, so following from here sees them all.
  const follower = follow
    ? await followTopic(
        infra.kafka(),
        admin,
        topics.events,
        await endOffsets(admin, topics.events),
        async (_partition, message) => {
          if (message.value) outcomes.observe(await codecs.events.decode(message.value));
        },
        ephemeralGroupId(infra.topicPrefix, 'replay-events'),
      )
    : null;

  const decoder = infra.envelopeReader();
  const links = new LinkStore(redis, { prefix: settings.writerPrefix });
  const mappings = new RedisMappingStore(redis, { prefix: settings.mappingPrefix });
  const mapDeps: MapBatchDeps = {
    store: mappings,
    lookup: batchedLookup(mappings),
    mappedCodec: codecs.mapped,
    deadLetterCodec: codecs.dlq,
    coPartitioned: await coPartitioned(admin, topics.raw, topics.mapped),
  };
  const notReplayed = emptyNotReplayed();
  const emitted = new Map<string, string>();
  let scanned = 0;
  let redriven = 0;
  const encodeFailures: Record<string, number> = {};

  let firstBatchAt = 0;
  let firstBatchSize = 0;
  let lastBatchAt = 0;
  const handle = async ({ partition, messages }: RangeBatch): Promise<void> => {
    if (firstBatchAt === 0) {
      firstBatchAt = performance.now();
      firstBatchSize = messages.length;
    }
    const decoded: { message: KafkaMessage; envelope: RawWebhookEnvelope; key: string }[] = [];
    for (const message of messages) {
      const envelope = await decode(message);
      if (envelope) decoded.push({ message, envelope, key: `${envelope.shop.toLowerCase()}/${envelope.originKind}/${envelope.originId}` });
    }
    scanned += messages.length;
    // One pipelined link read per batch; records whose version is settled never get normalised.
    const linkOf = await links.getMany([...new Set(decoded.map((d) => d.key))]);
    const candidates: Candidate[] = [];
    for (const { message, envelope, key } of decoded) {
      const version = peekVersion(envelope);
      const known = version === null ? null : knownOutcome(version, linkOf.get(key)?.appliedVersion ?? null, opts.force);
      if (known) {
        skip(known);
        continue;
      }
      const candidate = plan(message, partition, envelope);
      if (candidate) candidates.push(candidate);
    }
    const newest = newestPerKey(candidates, notReplayed, opts.force ? (key) => linkOf.get(key)?.appliedVersion ?? null : undefined);
    const missing = newest.filter((c) => !linkOf.has(c.key)).map((c) => c.key);
    for (const [key, link] of await links.getMany(missing)) linkOf.set(key, link);
    const selected = selectAgainstLinks(newest, linkOf, emitted, opts.force, notReplayed);
    if (selected.length > 0) {
      const output = await mapBatch(selected, mapDeps);
      const out: Message[] = [];
      let next = 0;
      for (const outcome of output.outcomes) {
        if (outcome.kind === 'mapped') {
          outcomes.expect(outcome.mapped.key, outcome.mapped.version);
          const message = output.mapped[next++];
          if (message) out.push(message);
        } else if (outcome.kind === 'dead_lettered') {
          encodeFailures[outcome.class] = (encodeFailures[outcome.class] ?? 0) + 1;
        }
      }
      if (out.length > 0) await producer.send({ topic: topics.mapped, acks: -1, messages: out });
      redriven += out.length;
    }
    lastBatchAt = performance.now();
    progress.update(scanned, `re-driven ${redriven}`);
  };

  const decode = async (message: KafkaMessage): Promise<RawWebhookEnvelope | null> => {
    const key = message.key?.toString('utf8') ?? null;
    // Keys are `{shop}/{kind}/{id}`: most records are sorted out before decoding.
    if (shop && key !== null && !key.startsWith(`${shop}/`)) return skip('other_shop');
    if (key !== null && key.includes('/product/')) return skip('product');
    if (opts.keys && (key === null || !opts.keys.has(key))) return skip('other_key');
    const envelope = await decoder.decode(message.value);
    if (!envelope.ok) return skip('invalid');
    if (shop && envelope.value.shop.toLowerCase() !== shop) return skip('other_shop');
    if (envelope.value.originKind === 'product') return skip('product');
    return envelope.value;
  };

  const plan = (message: KafkaMessage, partition: number, envelope: RawWebhookEnvelope): Candidate | null => {
    const planned = planEnvelope(envelope, config);
    if (planned.kind === 'dead') return skip('invalid');
    if (planned.kind === 'product') return skip('product');
    const record = { topic: topics.raw, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value: message.value };
    return candidateOf(record, envelope.topic, asReplay(planned, opts.force));
  };
  const skip = (reason: keyof NotReplayedCounts): null => {
    notReplayed[reason]++;
    return null;
  };

  progress.start(total, 'replay');
  try {
    await readRanges(infra.kafka(), admin, topics.raw, ranges, handle, { groupId: ephemeralGroupId(infra.topicPrefix, 'replay') });
    progress.update(scanned, `re-driven ${redriven}; waiting for outcomes`);
    const seconds = (performance.now() - started) / 1000;
    if (follower) await outcomes.settled(opts.waitMs);
    const tally = follower ? outcomes.tally() : null;
    return {
      from: new Date(opts.fromMs).toISOString(),
      to: opts.toMs === undefined ? null : new Date(opts.toMs).toISOString(),
      shop: shop ?? null,
      force: opts.force,
      scanned,
      seconds: round(seconds),
      recordsPerSecond: Math.round(scanned / Math.max(seconds, 0.001)),
      // The first batch's records were fetched before the clock started: not counted.
      scanRecordsPerSecond: lastBatchAt > firstBatchAt ? Math.round((scanned - firstBatchSize) / ((lastBatchAt - firstBatchAt) / 1000)) : 0,
      redriven,
      notReplayed,
      outcomes: tally && Object.keys(encodeFailures).length > 0 ? withEncodeFailures(tally, encodeFailures) : tally,
    };
  } finally {
    progress.stop();
    await follower?.stop();
    await mappings.close();
  }
}

function withEncodeFailures(tally: OutcomeTally, failures: Record<string, number>): OutcomeTally {
  const failed = { ...tally.failed };
  for (const [cls, n] of Object.entries(failures)) failed[`replay could not encode (${cls})`] = n;
  return { ...tally, failed };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Human-readable summary lines. */
export function formatReplaySummary(s: ReplaySummary): string {
  const counts = (c: Record<string, number>): string =>
    Object.entries(c)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  const lines = [
    `replay ${s.shop ?? 'all shops'} from ${s.from}${s.to ? ` to ${s.to}` : ''}${s.force ? ' (forced)' : ''}`,
    `scanned:       ${s.scanned} raw records in ${s.seconds}s (${s.recordsPerSecond}/s)`,
    `re-driven:     ${s.redriven}`,
    `not re-driven: ${counts(s.notReplayed)}`,
  ];
  if (s.outcomes) {
    lines.push(`applied:       ${counts(s.outcomes.applied)}`);
    lines.push(`skipped:       ${counts(s.outcomes.skipped)}`);
    lines.push(`failed:        ${counts(s.outcomes.failed)}`);
    if (s.outcomes.pending > 0) lines.push(`pending:       ${s.outcomes.pending} re-driven record(s) without an outcome when the wait ended`);
  }
  return `${lines.join('\n')}\n`;
}

