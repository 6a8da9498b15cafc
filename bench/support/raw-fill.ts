// Pre-filling a raw topic with draft webhook envelopes, fast (big batches, several in flight).
import { rawEnvelope } from '../../src/contracts/raw-envelope.js';
import { recordKey } from '../../src/domain/keys.js';
import type { Infra } from '../../src/shared/infra.js';
import { progress } from './stack.js';

export interface DraftWebhook {
  readonly shop: string;
  readonly id: number;
  /** REST draft JSON, as Shopify would send it. */
  readonly body: string;
}

const FILL_BATCH = 1000;

export async function fillRawTopic(infra: Infra, count: number, draftOf: (i: number) => DraftWebhook, label: string): Promise<void> {
  const { topics } = infra;
  const codec = (await infra.codecs()).raw;
  // Not idempotent (acks=1, several requests in flight): the fill is setup, not what is measured.
  const producer = infra.kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  let inFlight: Promise<unknown>[] = [];
  for (let from = 0; from < count; from += FILL_BATCH) {
    const messages = [];
    for (let i = from; i < Math.min(count, from + FILL_BATCH); i++) {
      const { shop, id, body } = draftOf(i);
      const envelope = rawEnvelope({ id: `${label}-${i}`, topic: 'draft_orders/update', shop, apiVersion: '2026-10', originKind: 'draft', originId: String(id), body: Buffer.from(body) });
      messages.push({ key: recordKey(shop, 'draft', String(id)), value: codec.encode(envelope) });
    }
    inFlight.push(producer.send({ topic: topics.raw, acks: 1, messages }));
    if (inFlight.length >= 8) {
      await Promise.all(inFlight);
      inFlight = [];
    }
    if ((from / FILL_BATCH) % 20 === 19) progress(`[${label}] fill: ${from + FILL_BATCH}/${count} envelopes`);
  }
  await Promise.all(inFlight);
  await producer.disconnect();
  progress(`[${label}] fill: ${count} envelopes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
