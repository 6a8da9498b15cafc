// Mapped-topic values → MappedDraftOrder. A value that can never be decoded (not our wire
// format, an unknown schema id, another record type) is permanent and goes to the DLQ; a
// registry that does not answer throws, so the partition is retried from its committed offset.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { fromAvro, type AvroMappedDraftOrder } from '../../../../src/domain/mapped-avro.js';
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import { fail, ok, type Result } from '../../../../src/domain/result.js';

const HEADER_BYTES = 5;

export class MappedDecoder {
  constructor(private readonly registry: SchemaRegistry) {}

  async decode(value: Buffer | null): Promise<Result<MappedDraftOrder>> {
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
    let decoded: Partial<AvroMappedDraftOrder>;
    try {
      decoded = (await this.registry.decode(value)) as Partial<AvroMappedDraftOrder>;
    } catch (error) {
      return fail(`value: not a MappedDraftOrder (${error instanceof Error ? error.message : String(error)})`);
    }
    // Another topic's schema decodes too: check the fields the writer relies on.
    if (typeof decoded.key !== 'string' || typeof decoded.sourceShop !== 'string' || typeof decoded.action !== 'string' || typeof decoded.version !== 'string') {
      return fail('value: decoded record is not a MappedDraftOrder');
    }
    return ok(fromAvro(decoded as AvroMappedDraftOrder));
  }
}

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('status' in error)) return null;
  const { status } = error;
  return typeof status === 'number' ? status : null;
}
