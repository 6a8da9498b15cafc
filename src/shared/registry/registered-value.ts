// Decoding a topic value framed by the schema registry (magic byte, schema id, Avro body).
// A value that can never be decoded (not our wire format, an unknown schema id, bytes that are
// not the schema's) is a permanent failure (DLQ); a registry that does not answer is transient
// and throws, so the caller retries.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { fail, ok, type Result } from '../../domain/result.js';

const HEADER_BYTES = 5;

export async function decodeRegisteredValue(registry: SchemaRegistry, value: Buffer | null, recordType: string): Promise<Result<unknown>> {
  if (value === null || value.length < HEADER_BYTES || value[0] !== 0) {
    return fail('value: not a schema-registry Avro record (missing magic byte 0 and schema id)');
  }
  const schemaId = value.readInt32BE(1);
  try {
    await registry.getSchema(schemaId); // cached after the first record
  } catch (error) {
    if (statusOf(error) === 404) return fail(`value: schema id ${schemaId} is unknown to the registry`);
    throw error;
  }
  try {
    return ok(await registry.decode(value));
  } catch (error) {
    return fail(`value: not a ${recordType} (${error instanceof Error ? error.message : String(error)})`);
  }
}

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('status' in error)) return null;
  const { status } = error;
  return typeof status === 'number' ? status : null;
}
