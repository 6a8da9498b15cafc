// Messages between the consumer's thread and a map worker. Values cross as one transferred
// ArrayBuffer per batch: a kafkajs value is a view into its whole fetch response, which a
// structured clone would copy once per value.
import type { LookupResult } from '../../../../src/mapping/index.js';
import type { EncodedRecord, MappedSummary, PlanSummary } from '../map-batch.js';

export interface PackedBuffers {
  readonly data: ArrayBuffer;
  /** Byte length per buffer; -1 for null. */
  readonly lengths: Int32Array;
}

export type ToWorker =
  | { readonly type: 'plan'; readonly id: number; readonly values: PackedBuffers }
  | { readonly type: 'finish'; readonly id: number; readonly lookup: LookupResult }
  | { readonly type: 'discard'; readonly id: number };

/** EncodedRecord without its value, which travels in `values` (in record order). */
export type WireEncoded = { readonly kind: 'mapped'; readonly mapped: MappedSummary } | { readonly kind: 'encode_failed'; readonly reason: string } | null;

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'planned'; readonly id: number; readonly summaries: readonly PlanSummary[] }
  | { readonly type: 'finished'; readonly id: number; readonly records: readonly WireEncoded[]; readonly values: PackedBuffers }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

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

export function toWire(encoded: readonly EncodedRecord[]): { records: WireEncoded[]; values: PackedBuffers } {
  const values: Buffer[] = [];
  const records = encoded.map((record): WireEncoded => {
    if (record?.kind !== 'mapped') return record;
    values.push(record.value);
    return { kind: 'mapped', mapped: record.mapped };
  });
  return { records, values: packBuffers(values) };
}

export function fromWire(records: readonly WireEncoded[], packed: PackedBuffers): EncodedRecord[] {
  const values = unpackBuffers(packed);
  let next = 0;
  return records.map((record): EncodedRecord => (record?.kind === 'mapped' ? { ...record, value: values[next++]! } : record));
}
