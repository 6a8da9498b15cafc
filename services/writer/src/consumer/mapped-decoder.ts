// Mapped-topic values → MappedDraftOrder; see decodeRegisteredValue for what is permanent (DLQ)
// and what throws (the partition is retried from its committed offset).
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { fromAvro, type AvroMappedDraftOrder } from '../../../../src/domain/mapped-avro.js';
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import { fail, ok, type Result } from '../../../../src/domain/result.js';
import { decodeRegisteredValue } from '../../../../src/shared/registry/registered-value.js';

export class MappedDecoder {
  constructor(private readonly registry: SchemaRegistry) {}

  async decode(value: Buffer | null): Promise<Result<MappedDraftOrder>> {
    const result = await decodeRegisteredValue(this.registry, value, 'MappedDraftOrder');
    if (!result.ok) return result;
    const decoded = result.value as Partial<AvroMappedDraftOrder>;
    // Another topic's schema decodes too: check the fields the writer relies on.
    if (typeof decoded.key !== 'string' || typeof decoded.sourceShop !== 'string' || typeof decoded.action !== 'string' || typeof decoded.version !== 'string') {
      return fail('value: decoded record is not a MappedDraftOrder');
    }
    return ok(fromAvro(decoded as AvroMappedDraftOrder));
  }
}
