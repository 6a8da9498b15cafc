// What a pipeline's raw topic holds, decoded: to count the envelopes an operator command fed.
import type { RawWebhookEnvelope } from '../../src/contracts/raw-envelope.js';
import { readTopic, testKafka, topicSize } from './infra.js';
import type { Pipeline } from './pipeline.js';

/** Every envelope on the raw topic now (from its beginning), optionally of one source only. */
export async function rawEnvelopes(p: Pipeline, source?: RawWebhookEnvelope['source']): Promise<RawWebhookEnvelope[]> {
  const kafka = testKafka(`${p.label}-raw`);
  const size = await topicSize(kafka, p.topics.raw);
  const records = await readTopic(kafka, p.topics.raw, (read) => read.length >= size);
  const codec = (await p.infra.codecs()).raw;
  const envelopes = await Promise.all(records.map((r) => codec.decode(r.value!)));
  return source === undefined ? envelopes : envelopes.filter((e) => e.source === source);
}
