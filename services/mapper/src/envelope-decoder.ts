// Raw-topic values → envelopes; see RegisteredValueReader for what is permanent and what is retried.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { RawWebhookEnvelope } from '../../../src/domain/envelope.js';
import { fail, ok, type Result } from '../../../src/domain/result.js';
import { RegisteredValueReader } from '../../../src/shared/registry/registered-value.js';

export class EnvelopeDecoder {
  private readonly reader: RegisteredValueReader;

  constructor(registry: SchemaRegistry) {
    this.reader = new RegisteredValueReader(registry, 'RawWebhookEnvelope');
  }

  /** Fetches the schemas a batch's values name; throws while the registry does not answer. */
  async prepare(values: Iterable<Buffer | null>): Promise<void> {
    await this.reader.prepare(values);
  }

  async decode(value: Buffer | null): Promise<Result<RawWebhookEnvelope>> {
    await this.reader.prepare([value]);
    return this.read(value);
  }

  /** A value of a prepared batch. */
  read(value: Buffer | null): Result<RawWebhookEnvelope> {
    const result = this.reader.read(value);
    if (!result.ok) return result;
    const decoded = result.value as Partial<RawWebhookEnvelope>;
    // Another topic's schema decodes too: check the fields the mapper relies on.
    if (typeof decoded.topic !== 'string' || typeof decoded.shop !== 'string' || !Buffer.isBuffer(decoded.body)) {
      return fail('value: decoded record is not a RawWebhookEnvelope');
    }
    return ok(decoded as RawWebhookEnvelope);
  }
}
