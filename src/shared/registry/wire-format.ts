// The schema registry's wire format: magic byte 0, the schema id (int32 BE), the Avro body.
// The registry client frames values the same way but only through a promise and three buffer
// copies per value; the mapper's hot path frames tens of thousands a second, so it writes a
// batch's values back to back into one buffer (FramedValues) that crosses threads as is.
import type { Type } from 'avsc';

export const HEADER_BYTES = 5;

/** What the registry client's getSchema returns, as far as decoding goes. */
export interface WriterSchema {
  fromBuffer(buffer: Buffer): unknown;
}

export function frameValue(schemaId: number, body: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  framed[0] = 0;
  framed.writeInt32BE(schemaId, 1);
  body.copy(framed, HEADER_BYTES);
  return framed;
}

/** A consumed batch's values packed back to back; -1 marks a null value. */
export interface PackedBuffers {
  readonly data: ArrayBuffer;
  readonly lengths: Int32Array;
}

/** Appends framed values into one growing buffer, avsc writing straight into it. */
export class FramedValues<T = unknown> {
  private buffer = Buffer.allocUnsafeSlow(256 * 1024);
  private end = 0;
  private readonly lengths: number[] = [];

  constructor(
    private readonly schemaId: number,
    private readonly type: Type,
    /** The value → what avsc encodes (a topic contract's write). */
    private readonly write: (value: T) => unknown = (value) => value,
  ) {}

  /** Throws (and appends nothing) when the value does not fit the schema. */
  append(value: T): void {
    const avroValue = this.write(value);
    for (;;) {
      const start = this.end;
      // avsc returns a position past the end when the buffer was too small (nothing usable written).
      const end = this.buffer.length - start > HEADER_BYTES ? this.type.encode(avroValue, this.buffer, start + HEADER_BYTES) : -1;
      if (end >= 0 && end <= this.buffer.length) {
        this.buffer[start] = 0;
        this.buffer.writeInt32BE(this.schemaId, start + 1);
        this.lengths.push(end - start);
        this.end = end;
        return;
      }
      const grown = Buffer.allocUnsafeSlow(this.buffer.length * 2);
      this.buffer.copy(grown, 0, 0, this.end);
      this.buffer = grown;
    }
  }

  /** The values so far; the builder must not be used afterwards (the data may be transferred). */
  packed(): PackedBuffers {
    // allocUnsafeSlow: the buffer owns its ArrayBuffer from offset 0, so it can be transferred whole.
    return { data: this.buffer.buffer, lengths: Int32Array.from(this.lengths) };
  }
}

/** Views into `packed.data` (no copy). */
export function unpackBuffers(packed: PackedBuffers): (Buffer | null)[] {
  const out: (Buffer | null)[] = [];
  let at = 0;
  for (const length of packed.lengths) {
    if (length < 0) {
      out.push(null);
      continue;
    }
    out.push(Buffer.from(packed.data, at, length));
    at += length;
  }
  return out;
}

/** Copies buffers (e.g. kafkajs values, views into a whole fetch response) into one packed buffer. */
export function packBuffers(buffers: readonly (Buffer | null)[]): PackedBuffers {
  const lengths = new Int32Array(buffers.length);
  let total = 0;
  buffers.forEach((buffer, i) => {
    lengths[i] = buffer === null ? -1 : buffer.length;
    total += buffer?.length ?? 0;
  });
  const data = new ArrayBuffer(total);
  const bytes = new Uint8Array(data);
  let at = 0;
  for (const buffer of buffers) {
    if (buffer === null) continue;
    bytes.set(buffer, at);
    at += buffer.length;
  }
  return { data, lengths };
}

/** The schema id of a framed value; null when the value is not in the wire format. */
export function schemaIdOf(value: Buffer | null): number | null {
  if (value === null || value.length < HEADER_BYTES || value[0] !== 0) return null;
  return value.readInt32BE(1);
}
