// Raw-topic values → envelopes; see decodeRegisteredValue for what is permanent and what is retried.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { RawWebhookEnvelope } from '../../../src/domain/envelope.js';
import { fail, ok, type Result } from '../../../src/domain/result.js';
import { decodeRegisteredValue } from '../../../src/shared/registry/registered-value.js';

export class EnvelopeDecoder {
  constructor(private readonly registry: SchemaRegistry) {}

  async decode(value: Buffer | null): Promise<Result<RawWebhookEnvelope>> {
    const result = await decodeRegisteredValue(this.registry, value, 'RawWebhookEnvelope');
    if (!result.ok) return result;
    const decoded = result.value as Partial<RawWebhookEnvelope>;
    // Another topic's schema decodes too: check the fields the mapper relies on.
    if (typeof decoded.topic !== 'string' || typeof decoded.shop !== 'string' || !Buffer.isBuffer(decoded.body)) {
      return fail('value: decoded record is not a RawWebhookEnvelope');
    }
    return ok(decoded as RawWebhookEnvelope);
  }
}
