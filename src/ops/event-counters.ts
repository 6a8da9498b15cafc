// Per-connection counts of sync outcomes and the last sync time, folded from the sync-events
// topic into Redis. Each fold reads from the offsets stored with the counts to the topic's
// current end and writes counts and offsets in one MULTI, so every event is counted once
// even when a fold is interrupted. Keys share the hash tag {events} (one Cluster slot).
import type { DraftOrderSyncEvent } from '../contracts/sync-event.js';
import type { Infra } from '../shared/infra.js';
import { ephemeralGroupId, rangesOf, readRanges } from '../shared/kafka/topic-range.js';

const APPLIED = new Set(['CREATED', 'UPDATED', 'RECREATED', 'DELETED', 'COMPLETED']);
const SEP = '\u001f';

export interface ConnectionCounts {
  /** Outcome → count; SKIPPED and FAILED also split by reason in `reasons`. */
  readonly outcomes: Record<string, number>;
  readonly reasons: Record<string, number>;
  /** ISO time of the newest applied outcome, or null. */
  readonly lastSync: string | null;
}

function keys(opsPrefix: string): { counts: string; last: string; offsets: string; lock: string } {
  return {
    counts: `${opsPrefix}{events}:counts`,
    last: `${opsPrefix}{events}:last-sync`,
    offsets: `${opsPrefix}{events}:offsets`,
    lock: `${opsPrefix}{events}:fold-lock`,
  };
}

/** Brings the counters up to the topic's current end; false when another fold holds the lock. */
export async function foldEvents(infra: Infra): Promise<boolean> {
  const redis = infra.redis();
  const k = keys(infra.names.opsPrefix);
  const token = `${process.pid}-${Date.now()}`;
  if ((await redis.set(k.lock, token, 'PX', 120_000, 'NX')) !== 'OK') return false;
  try {
    const admin = await infra.admin();
    const codecs = await infra.codecs();
    const stored = await redis.hgetall(k.offsets);
    const ranges = (await rangesOf(admin, infra.topics.events)).map((r) => {
      const from = stored[String(r.partition)];
      const start = from === undefined ? r.start : BigInt(from) > r.start ? BigInt(from) : r.start;
      return { partition: r.partition, start: start > r.end ? r.end : start, end: r.end };
    });
    await readRanges(
      infra.kafka(),
      admin,
      infra.topics.events,
      ranges,
      async ({ partition, messages }) => {
        const counts = new Map<string, number>();
        const last = new Map<string, string>();
        for (const message of messages) {
          if (!message.value) continue;
          const event = await codecs.events.decode(message.value);
          bump(counts, `${event.connectionId}${SEP}${event.outcome}`);
          if (event.outcome === 'SKIPPED' || event.outcome === 'FAILED') bump(counts, `${event.connectionId}${SEP}${event.outcome}${SEP}${reasonOf(event)}`);
          if (APPLIED.has(event.outcome)) {
            const seen = last.get(event.connectionId);
            if (!seen || seen < event.occurredAt) last.set(event.connectionId, event.occurredAt);
          }
        }
        const multi = redis.multi();
        for (const [field, n] of counts) multi.hincrby(k.counts, field, n);
        // Last-sync times only move forward (ISO strings of one writer clock compare as text).
        for (const [connection, at] of last) multi.eval(MAX_SCRIPT, 1, k.last, connection, at);
        multi.hset(k.offsets, String(partition), String(BigInt(messages[messages.length - 1]!.offset) + 1n));
        const replies = await multi.exec();
        const failed = replies?.find(([error]) => error !== null);
        if (!replies || failed) throw failed?.[0] ?? new Error('event counters: MULTI aborted');
      },
      { groupId: ephemeralGroupId(infra.topicPrefix, 'status') },
    );
    return true;
  } finally {
    if ((await redis.get(k.lock)) === token) await redis.del(k.lock);
  }
}

const MAX_SCRIPT = `local cur = redis.call('HGET', KEYS[1], ARGV[1]); if (not cur) or cur < ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end; return 1`;

export async function readCounts(infra: Infra, connectionId: string): Promise<ConnectionCounts> {
  const redis = infra.redis();
  const k = keys(infra.names.opsPrefix);
  const [all, lastSync] = await Promise.all([redis.hgetall(k.counts), redis.hget(k.last, connectionId)]);
  const outcomes: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  for (const [field, value] of Object.entries(all)) {
    const [connection, outcome, reason] = field.split(SEP);
    if (connection !== connectionId || outcome === undefined) continue;
    if (reason === undefined) outcomes[outcome] = Number(value);
    else reasons[`${outcome}: ${reason}`] = Number(value);
  }
  return { outcomes, reasons, lastSync };
}

function bump(counts: Map<string, number>, field: string): void {
  counts.set(field, (counts.get(field) ?? 0) + 1);
}

/** Reason without per-record detail, so counts group ("STALE: coalesced … (v)" → without "(v)"). */
function reasonOf(event: DraftOrderSyncEvent): string {
  return (event.reason ?? event.outcome).replace(/\s*\(.*\)$/, '').slice(0, 120);
}
