// Mapped-topic values → MappedDraftOrder; see RegisteredValueReader for what is permanent (DLQ)
// and what throws (the partition is retried from its committed offset).
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { fromAvro, type AvroMappedDraftOrder } from '../../../../src/contracts/mapped-draft-order.js';
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import { fail, ok, type Result } from '../../../../src/domain/result.js';
import { RegisteredValueReader } from '../../../../src/shared/registry/registered-value.js';

/** The fields the writer relies on, then the domain form. */
function asMapped(decoded: unknown): Result<MappedDraftOrder> {
  const record = decoded as Partial<AvroMappedDraftOrder>;
  if (typeof record.key !== 'string' || typeof record.sourceShop !== 'string' || typeof record.action !== 'string' || typeof record.version !== 'string') {
    return fail('value: decoded record is not a MappedDraftOrder');
  }
  return ok(fromAvro(record as AvroMappedDraftOrder));
}

export class MappedDecoder extends RegisteredValueReader<MappedDraftOrder> {
  constructor(registry: SchemaRegistry) {
    super(registry, 'MappedDraftOrder', asMapped);
  }
}
