// dlq: inspect dead letters and send them back where they failed once the cause is fixed.
//
// Redriven letters are marked in a Redis hash (`{ops}dlq:redriven`, letter id → when and
// where to): letters stay on the DLQ (retained forever, one partition) as the audit trail,
// `list` shows the unmarked ones, and single letters can be redriven (a consumer-group
// offset could only mark a prefix). Letter ids are deterministic (`{stage}:{topic}/{p}/{offset}`),
// so the same failure met twice (a restarted writer) is one letter. A redriven record that
// fails again is a new letter (new origin offset). The mark is written after the record is
// acknowledged: a crash in between redrives it twice, which the writer's versions absorb.
import type { KafkaMessage } from 'kafkajs';
import type { DeadLetter } from '../contracts/dead-letter.js';
import type { Infra } from '../shared/infra.js';
import { ephemeralGroupId, rangesOf, readRanges } from '../shared/kafka/topic-range.js';

export interface DlqEntry {
  readonly partition: number;
  readonly offset: string;
  readonly letter: DeadLetter;
  /** Set once redriven. */
  readonly redriven: RedriveMark | null;
}

export interface RedriveMark {
  readonly at: string;
  readonly to: string;
}

export function redrivenKey(opsPrefix: string): string {
  return `${opsPrefix}dlq:redriven`;
}

/** Every letter on the DLQ (deduplicated by id, first occurrence), with its redrive mark. */
export async function readDeadLetters(infra: Infra): Promise<DlqEntry[]> {
  const admin = await infra.admin();
  const codecs = await infra.codecs();
  const messages: { partition: number; message: KafkaMessage }[] = [];
  await readRanges(
    infra.kafka(),
    admin,
    infra.topics.dlq,
    await rangesOf(admin, infra.topics.dlq),
    async ({ partition, messages: batch }) => {
      for (const message of batch) messages.push({ partition, message });
    },
    { groupId: ephemeralGroupId(infra.topicPrefix, 'dlq') },
  );
  const marks = await infra.redis().hgetall(redrivenKey(infra.names.opsPrefix));
  const seen = new Set<string>();
  const entries: DlqEntry[] = [];
  for (const { partition, message } of messages) {
    if (!message.value) continue;
    const letter = await codecs.dlq.decode(message.value);
    if (seen.has(letter.id)) continue;
    seen.add(letter.id);
    const mark = marks[letter.id];
    entries.push({ partition, offset: message.offset, letter, redriven: mark ? (JSON.parse(mark) as RedriveMark) : null });
  }
  return entries;
}

export interface RedriveResult {
  readonly id: string;
  /** Topic it was sent to, or null when it cannot be redriven. */
  readonly to: string | null;
  readonly note: string;
}

/** Sends letters back (ingest/mapper → raw topic as a 'redrive' envelope, writer → mapped topic) and marks them. */
export async function redrive(infra: Infra, entries: readonly DlqEntry[], now = Date.now()): Promise<RedriveResult[]> {
  const codecs = await infra.codecs();
  const producer = await infra.producer();
  const publisher = await infra.rawPublisher();
  const decoder = infra.envelopeReader();
  const redis = infra.redis();
  const results: RedriveResult[] = [];
  for (const { letter } of entries) {
    const mark = async (to: string, note: string): Promise<void> => {
      await redis.hset(redrivenKey(infra.names.opsPrefix), letter.id, JSON.stringify({ at: new Date(now).toISOString(), to } satisfies RedriveMark));
      results.push({ id: letter.id, to, note });
    };
    if (letter.stage === 'writer') {
      const mapped = await codecs.mapped.decode(letter.payload);
      const value = codecs.mapped.encode({ ...mapped, recordSource: 'redrive' });
      await producer.send({ topic: infra.topics.mapped, acks: -1, messages: [{ key: letter.key ?? mapped.key, value }] });
      await mark(infra.topics.mapped, `${mapped.key} version ${mapped.version} back to the writer`);
      continue;
    }
    // Ingest letters hold a webhook body that could not be keyed: there is no envelope to rebuild.
    const envelope = letter.stage === 'mapper' ? await decoder.decode(letter.payload) : null;
    if (!envelope?.ok) {
      results.push({ id: letter.id, to: null, note: `cannot be redriven: ${envelope ? envelope.reason : 'an ingest letter has no envelope (unkeyable webhook body)'}` });
      continue;
    }
    await publisher.publish({ ...envelope.value, source: 'redrive' }, 30_000);
    await mark(infra.topics.raw, `${envelope.value.topic} ${envelope.value.shop}/${envelope.value.originKind}/${envelope.value.originId} back to the mapper`);
  }
  return results;
}

/** One line per letter for `dlq list`. */
export function formatEntry(e: DlqEntry): string {
  const l = e.letter;
  return [l.id, l.stage, new Date(Number(l.failedAt)).toISOString(), l.key ?? '-', oneLine(l.reason)].join('\t');
}

export function describeEntry(e: DlqEntry): Record<string, unknown> {
  const l = e.letter;
  return {
    id: l.id,
    stage: l.stage,
    reason: l.reason,
    key: l.key,
    failedAt: new Date(Number(l.failedAt)).toISOString(),
    attempts: l.attempts,
    origin: { topic: l.originTopic, partition: l.originPartition, offset: l.originOffset },
    dlq: { partition: e.partition, offset: e.offset },
    redriven: e.redriven,
    payloadBytes: l.payload.length,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 200);
}
