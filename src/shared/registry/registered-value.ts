// Decoding topic values framed by the schema registry (magic byte, schema id, Avro body), a
// consumed batch at a time: `prepare` fetches the schemas the batch names (once per id; a
// registry that does not answer throws, so the caller retries), then `read` decodes each value
// synchronously; `decode` does both for one value. A value that can never be decoded (not our
// wire format, an unknown schema id, bytes that are not the schema's, a record the topic's
// check refuses) is a permanent failure (DLQ).
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { TopicContract } from '../../contracts/topic-contract.js';
import { fail, type Result } from '../../domain/result.js';
import { HEADER_BYTES, schemaIdOf, type WriterSchema } from './wire-format.js';

export class RegisteredValueReader<T> {
  private readonly schemas = new Map<number, WriterSchema>();
  /** Ids the registry answered 404 for: permanent, a value cannot name a schema that never existed. */
  private readonly unknown = new Set<number>();

  constructor(
    private readonly registry: SchemaRegistry,
    /** Another topic's schema decodes too: the contract's check confirms (and converts) what the reader relies on. */
    private readonly contract: TopicContract<T>,
  ) {}

  async prepare(values: Iterable<Buffer | null>): Promise<void> {
    const missing = new Set<number>();
    for (const value of values) {
      const id = schemaIdOf(value);
      if (id !== null && !this.schemas.has(id) && !this.unknown.has(id)) missing.add(id);
    }
    for (const id of missing) {
      try {
        this.schemas.set(id, await this.registry.getSchema(id));
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        this.unknown.add(id);
      }
    }
  }

  async decode(value: Buffer | null): Promise<Result<T>> {
    await this.prepare([value]);
    return this.read(value);
  }

  /** Decodes a value whose schema `prepare` has seen. */
  read(value: Buffer | null): Result<T> {
    const id = schemaIdOf(value);
    if (value === null || id === null) return fail('value: not a schema-registry Avro record (missing magic byte 0 and schema id)');
    const schema = this.schemas.get(id);
    if (!schema) {
      if (this.unknown.has(id)) return fail(`value: schema id ${id} is unknown to the registry`);
      throw new Error(`schema id ${id} was not prepared`);
    }
    let decoded: unknown;
    try {
      decoded = schema.fromBuffer(value.subarray(HEADER_BYTES));
    } catch (error) {
      return fail(`value: not a ${this.contract.recordType} (${error instanceof Error ? error.message : String(error)})`);
    }
    return this.contract.read(decoded);
  }
}

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('status' in error)) return null;
  const { status } = error;
  return typeof status === 'number' ? status : null;
}
