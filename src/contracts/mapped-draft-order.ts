// The mapped topic's value (schemas/mapped-draft-order.avsc): MappedDraftOrder (src/domain/model.ts,
// the mapper's decision) ⇄ the object avsc encodes.
//
// @kafkajs/confluent-schema-registry builds types with avsc's default `wrapUnions: 'auto'`:
// `["null", X]` unions take plain values, but the line union (VariantLine | CustomLine, two
// records) is ambiguous and must be wrapped as `{ "com.draftordersync.VariantLine": {...} }`.
// The decoded side also yields avsc record instances; `fromAvro` returns plain objects.
import type {
  Address,
  Attribute,
  Customer,
  Discount,
  MappedDraftOrder,
  MappedLine,
  Money,
  OriginRef,
  ShippingLine,
  SourceDraft,
} from '../domain/model.js';
import { fail, ok } from '../domain/result.js';
import type { TopicContract } from './topic-contract.js';

export const AVRO_NAMESPACE = 'com.draftordersync';
const VARIANT_LINE = `${AVRO_NAMESPACE}.VariantLine` as const;
const CUSTOM_LINE = `${AVRO_NAMESPACE}.CustomLine` as const;

type VariantLine = Extract<MappedLine, { kind: 'variant' }>;
type CustomLine = Extract<MappedLine, { kind: 'custom' }>;

export type AvroMappedLine =
  | { readonly [VARIANT_LINE]: Omit<VariantLine, 'kind'> }
  | { readonly [CUSTOM_LINE]: Omit<CustomLine, 'kind'> };

export type AvroSourceDraft = Omit<SourceDraft, 'lines'> & { readonly lines: readonly AvroMappedLine[] };

export type AvroMappedDraftOrder = Omit<MappedDraftOrder, 'draft'> & { readonly draft: AvroSourceDraft | null };

export function toAvro(mapped: MappedDraftOrder): AvroMappedDraftOrder {
  return { ...mapped, draft: mapped.draft === null ? null : { ...mapped.draft, lines: mapped.draft.lines.map(lineToAvro) } };
}

function lineToAvro(line: MappedLine): AvroMappedLine {
  if (line.kind === 'variant') {
    const { kind: _kind, ...fields } = line;
    return { [VARIANT_LINE]: fields };
  }
  const { kind: _kind, ...fields } = line;
  return { [CUSTOM_LINE]: fields };
}

export function fromAvro(value: AvroMappedDraftOrder): MappedDraftOrder {
  return {
    key: value.key,
    origin: originOf(value.origin),
    connectionId: value.connectionId,
    sourceShop: value.sourceShop,
    action: value.action,
    version: value.version,
    draft: value.draft === null ? null : draftOf(value.draft),
    skipReason: value.skipReason,
    missingVariants: [...value.missingVariants],
    sendInvoice: value.sendInvoice,
    onCompleted: value.onCompleted,
    onSourceEdited: value.onSourceEdited,
    versionClock: value.versionClock,
    force: value.force,
    recordSource: value.recordSource,
    rawId: value.rawId,
  };
}

const originOf = (o: OriginRef): OriginRef => ({ shop: o.shop, kind: o.kind, id: o.id, name: o.name });
const attributesOf = (list: readonly Attribute[]): Attribute[] => list.map((a) => ({ key: a.key, value: a.value }));
const moneyOf = (m: Money): Money => ({ amount: m.amount, currencyCode: m.currencyCode });
const discountOf = (d: Discount | null): Discount | null =>
  d === null ? null : { title: d.title, description: d.description, value: d.value, valueType: d.valueType };
const addressOf = (a: Address | null): Address | null => (a === null ? null : { ...a });
const customerOf = (c: Customer | null): Customer | null => (c === null ? null : { ...c });
const shippingLineOf = (s: ShippingLine | null): ShippingLine | null =>
  s === null ? null : { title: s.title, price: s.price, currencyCode: s.currencyCode ?? null };

function draftOf(d: AvroSourceDraft): SourceDraft {
  return {
    email: d.email,
    phone: d.phone,
    customer: customerOf(d.customer),
    shippingAddress: addressOf(d.shippingAddress),
    billingAddress: addressOf(d.billingAddress),
    note: d.note,
    tags: [...d.tags],
    customAttributes: attributesOf(d.customAttributes),
    lines: d.lines.map(lineFromAvro),
    appliedDiscount: discountOf(d.appliedDiscount),
    shippingLine: shippingLineOf(d.shippingLine),
    taxExempt: d.taxExempt,
    presentmentCurrency: d.presentmentCurrency,
  };
}

function lineFromAvro(line: AvroMappedLine): MappedLine {
  if (VARIANT_LINE in line) {
    const v = line[VARIANT_LINE];
    return {
      kind: 'variant',
      sourceVariantId: v.sourceVariantId,
      quantity: v.quantity,
      priceOverride: v.priceOverride === null ? null : moneyOf(v.priceOverride),
      customAttributes: attributesOf(v.customAttributes),
      appliedDiscount: discountOf(v.appliedDiscount),
    };
  }
  const c = line[CUSTOM_LINE];
  return {
    kind: 'custom',
    title: c.title,
    quantity: c.quantity,
    price: moneyOf(c.price),
    sku: c.sku,
    taxable: c.taxable,
    requiresShipping: c.requiresShipping,
    grams: c.grams,
    customAttributes: attributesOf(c.customAttributes),
    appliedDiscount: discountOf(c.appliedDiscount),
  };
}

export const mappedDraftOrderContract: TopicContract<MappedDraftOrder> = {
  topic: 'mapped',
  schemaFile: 'mapped-draft-order.avsc',
  recordType: 'MappedDraftOrder',
  // The fields the writer relies on, then the domain form.
  read: (decoded) => {
    const record = decoded as Partial<AvroMappedDraftOrder> | null;
    if (typeof record?.key !== 'string' || typeof record.sourceShop !== 'string' || typeof record.action !== 'string' || typeof record.version !== 'string') {
      return fail('value: decoded record is not a MappedDraftOrder');
    }
    return ok(fromAvro(record as AvroMappedDraftOrder));
  },
  write: toAvro,
};
