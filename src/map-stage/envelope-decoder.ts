// Raw-topic values → envelopes; see RegisteredValueReader for what is permanent and what is retried.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { RawWebhookEnvelope } from '../domain/envelope.js';
import { fail, ok, type Result } from '../domain/result.js';
import { RegisteredValueReader } from '../shared/registry/registered-value.js';

/** The fields the mapper relies on. */
function asEnvelope(decoded: unknown): Result<RawWebhookEnvelope> {
  const envelope = decoded as Partial<RawWebhookEnvelope>;
  if (typeof envelope.topic !== 'string' || typeof envelope.shop !== 'string' || !Buffer.isBuffer(envelope.body)) {
    return fail('value: decoded record is not a RawWebhookEnvelope');
  }
  return ok(envelope as RawWebhookEnvelope);
}

export class EnvelopeDecoder extends RegisteredValueReader<RawWebhookEnvelope> {
  constructor(registry: SchemaRegistry) {
    super(registry, 'RawWebhookEnvelope', asEnvelope);
  }
}
