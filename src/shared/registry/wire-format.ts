// The schema registry's wire format: magic byte 0, the schema id (int32 BE), the Avro body.
// The registry client frames values the same way but only through a promise and three buffer
// copies per value; the mapper's hot path frames tens of thousands a second.

export const HEADER_BYTES = 5;

/** What the registry client's getSchema returns, as far as encoding and decoding go. */
export interface WriterSchema {
  toBuffer(value: unknown): Buffer;
  fromBuffer(buffer: Buffer): unknown;
}

export function frameValue(schemaId: number, body: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  framed[0] = 0;
  framed.writeInt32BE(schemaId, 1);
  body.copy(framed, HEADER_BYTES);
  return framed;
}

/** The schema id of a framed value; null when the value is not in the wire format. */
export function schemaIdOf(value: Buffer | null): number | null {
  if (value === null || value.length < HEADER_BYTES || value[0] !== 0) return null;
  return value.readInt32BE(1);
}
