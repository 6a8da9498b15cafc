// @kafkajs/confluent-schema-registry against the real registry (Apicurio, Confluent-compatible API).
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';
import { registerTopicSchema, schemasDir } from '../../src/shared/registry/schemas.js';
import { testRegistry, uniqueId } from '../support/infra.js';
import { TOPIC_CONTRACTS, type TopicContract } from '../../src/contracts/index.js';

const v1 = { type: 'record', name: 'Probe', namespace: 'test', fields: [{ name: 'a', type: 'string' }] };

describe('schema registry', () => {
  it('registers, encodes and decodes', async () => {
    const registry = testRegistry();
    const subject = uniqueId('probe');
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject, compatibility: COMPATIBILITY.BACKWARD });
    const again = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject, compatibility: COMPATIBILITY.BACKWARD });
    expect(again.id).toBe(id);
    const buf = await registry.encode(id, { a: 'hello' });
    expect(buf[0]).toBe(0); // Confluent wire format: magic byte, then the schema id.
    expect(buf.readInt32BE(1)).toBe(id);
    expect(await registry.decode(buf)).toEqual({ a: 'hello' });
  });

  it('accepts a BACKWARD-compatible change and rejects an incompatible one', async () => {
    const registry = testRegistry();
    const subject = uniqueId('compat');
    const reg = (schema: object): Promise<{ id: number }> =>
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject, compatibility: COMPATIBILITY.BACKWARD });
    await reg(v1);
    const withDefault = { ...v1, fields: [...v1.fields, { name: 'b', type: 'string', default: 'x' }] };
    await expect(reg(withDefault)).resolves.toHaveProperty('id');
    const withoutDefault = { ...v1, fields: [...v1.fields, { name: 'c', type: 'int' }] };
    await expect(reg(withoutDefault)).rejects.toThrow(/incompatible/i);
  });

  it('registers every schema the project ships, each the schema of exactly one topic contract', async () => {
    const registry = testRegistry();
    const files = readdirSync(schemasDir).filter((f) => f.endsWith('.avsc'));
    const contracts: TopicContract<unknown>[] = Object.values(TOPIC_CONTRACTS);
    expect(contracts.map((c) => c.schemaFile).sort()).toEqual(files.sort());
    for (const contract of contracts) {
      const codec = await registerTopicSchema(registry, uniqueId(contract.topic), contract);
      expect(codec.schemaId).toBeGreaterThan(0);
    }
  });
});

describe('registering one new subject from several places at once', () => {
  it('gives every caller the same schema id (services start together on a fresh registry)', async () => {
    const topic = uniqueId('concurrent');
    const codecs = await Promise.all(Array.from({ length: 8 }, () => registerTopicSchema(testRegistry(), topic, TOPIC_CONTRACTS.dlq)));
    expect(new Set(codecs.map((c) => c.schemaId)).size).toBe(1);
  });
});
