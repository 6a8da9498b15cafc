import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { FramedValues, packBuffers, schemaIdOf, unpackBuffers } from './wire-format.js';

const type = avro.Type.forSchema({ type: 'record', name: 'T', fields: [{ name: 's', type: 'string' }] });

describe('FramedValues', () => {
  it('frames each value like the registry (magic 0, schema id, Avro body), growing past its first buffer', () => {
    const batch = new FramedValues(42, type);
    const values = Array.from({ length: 40 }, (_, i) => ({ s: `${i}:${'x'.repeat(10_000)}` }));
    for (const value of values) batch.append(value);
    const framed = unpackBuffers(batch.packed());
    expect(framed).toHaveLength(40);
    framed.forEach((buffer, i) => {
      expect(schemaIdOf(buffer)).toBe(42);
      expect(buffer!.equals(Buffer.concat([Buffer.from([0, 0, 0, 0, 42]), type.toBuffer(values[i])]))).toBe(true);
    });
  });

  it('throws for a value that does not fit the schema and keeps the values before and after it', () => {
    const batch = new FramedValues(7, type);
    batch.append({ s: 'a' });
    expect(() => batch.append({ s: 3 })).toThrow();
    batch.append({ s: 'b' });
    expect(unpackBuffers(batch.packed()).map((b): unknown => type.fromBuffer(b!.subarray(5)))).toEqual([{ s: 'a' }, { s: 'b' }]);
  });
});

describe('packBuffers', () => {
  it('copies views of a larger buffer into one buffer of their own, nulls kept', () => {
    const big = Buffer.from('0123456789');
    const packed = packBuffers([big.subarray(2, 4), null, big.subarray(7)]);
    expect(packed.data.byteLength).toBe(5);
    expect(unpackBuffers(packed).map((b) => b?.toString() ?? null)).toEqual(['23', null, '789']);
  });
});
