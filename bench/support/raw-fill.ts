// Pre-filling a raw topic with draft webhook envelopes, fast (big batches, several in flight).
import type { RawWebhookEnvelope } from '../../src/domain/envelope.js';
import { recordKey } from '../../src/domain/keys.js';
import type { InfraSettings } from '../../src/shared/config/index.js';
import { createKafka } from '../../src/shared/kafka/client.js';
import type { TopicNames } from '../../src/shared/kafka/topics.js';
import { createRegistry, registerTopicSchema, TOPIC_SCHEMAS } from '../../src/shared/registry/schemas.js';
import { progress } from './stack.js';

export interface DraftWebhook {
  readonly shop: string;
  readonly id: number;
  /** REST draft JSON, as Shopify would send it. */
  readonly body: string;
}

const FILL_BATCH = 1000;

export async function fillRawTopic(infra: InfraSettings, topics: TopicNames, count: number, draftOf: (i: number) => DraftWebhook, label: string): Promise<void> {
  const kafka = createKafka({ brokers: infra.kafkaBrokers.join(','), clientId: `${label}-fill` });
  const codec = await registerTopicSchema<RawWebhookEnvelope>(createRegistry(infra.schemaRegistryUrl), topics.raw, TOPIC_SCHEMAS.raw);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  let inFlight: Promise<unknown>[] = [];
  for (let from = 0; from < count; from += FILL_BATCH) {
    const messages = [];
    for (let i = from; i < Math.min(count, from + FILL_BATCH); i++) {
      const { shop, id, body } = draftOf(i);
      const envelope: RawWebhookEnvelope = {
        id: `${label}-${i}`,
        eventId: null,
        topic: 'draft_orders/update',
        shop,
        apiVersion: '2026-10',
        triggeredAt: null,
        receivedAt: Date.now(),
        originKind: 'draft',
        originId: String(id),
        source: 'webhook',
        force: false,
        body: Buffer.from(body),
        bodyFormat: 'rest',
      };
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
