// Mapped-topic values → MappedDraftOrder; see RegisteredValueReader for what is permanent (DLQ)
// and what throws (the partition is retried from its committed offset).
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { fromAvro, type AvroMappedDraftOrder } from '../../../../src/domain/mapped-avro.js';
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import { fail, ok, type Result } from '../../../../src/domain/result.js';
import { RegisteredValueReader } from '../../../../src/shared/registry/registered-value.js';

export class MappedDecoder {
  private readonly reader: RegisteredValueReader;

  constructor(registry: SchemaRegistry) {
    this.reader = new RegisteredValueReader(registry, 'MappedDraftOrder');
  }

  /** Fetches the schemas a batch's values name; throws while the registry does not answer. */
  async prepare(values: Iterable<Buffer | null>): Promise<void> {
    await this.reader.prepare(values);
  }

  async decode(value: Buffer | null): Promise<Result<MappedDraftOrder>> {
    await this.reader.prepare([value]);
    return this.read(value);
  }

  /** A value of a prepared batch. */
  read(value: Buffer | null): Result<MappedDraftOrder> {
    const result = this.reader.read(value);
    if (!result.ok) return result;
    const decoded = result.value as Partial<AvroMappedDraftOrder>;
    // Another topic's schema decodes too: check the fields the writer relies on.
    if (typeof decoded.key !== 'string' || typeof decoded.sourceShop !== 'string' || typeof decoded.action !== 'string' || typeof decoded.version !== 'string') {
      return fail('value: decoded record is not a MappedDraftOrder');
    }
    return ok(fromAvro(decoded as AvroMappedDraftOrder));
  }
}
