// Raw-topic values → envelopes. A value that can never be decoded (not our wire format,
// an unknown schema id, bytes that are not the schema's) is a permanent failure for the DLQ;
// a registry that does not answer is transient and throws, so the batch is retried.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { RawWebhookEnvelope } from '../../../src/domain/envelope.js';
import { fail, ok, type Result } from '../../../src/domain/result.js';

const HEADER_BYTES = 5;

export class EnvelopeDecoder {
  constructor(private readonly registry: SchemaRegistry) {}

  async decode(value: Buffer | null): Promise<Result<RawWebhookEnvelope>> {
    if (value === null || value.length < HEADER_BYTES || value[0] !== 0) {
      return fail('value: not a schema-registry Avro record (missing magic byte 0 and schema id)');
    }
    const schemaId = value.readInt32BE(1);
    try {
      await this.registry.getSchema(schemaId); // cached after the first record
    } catch (error) {
      if (statusOf(error) === 404) return fail(`value: schema id ${schemaId} is unknown to the registry`);
      throw error;
    }
    try {
      const decoded = (await this.registry.decode(value)) as Partial<RawWebhookEnvelope>;
      // Another topic's schema decodes too: check the fields the mapper relies on.
      if (typeof decoded.topic !== 'string' || typeof decoded.shop !== 'string' || !Buffer.isBuffer(decoded.body)) {
        return fail('value: decoded record is not a RawWebhookEnvelope');
      }
      return ok(decoded as RawWebhookEnvelope);
    } catch (error) {
      return fail(`value: not a RawWebhookEnvelope (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('status' in error)) return null;
  const { status } = error;
  return typeof status === 'number' ? status : null;
}
