import avro from 'avsc';
import * as avroHelperModule from '@kafkajs/confluent-schema-registry/dist/AvroHelper.js';
import { describe, expect, it } from 'vitest';
import { readSchema } from '../shared/registry/schemas.js';
import { fromAvro, mappedDraftOrderContract, toAvro, type AvroMappedDraftOrder } from './mapped-draft-order.js';
import type { MappedDraftOrder } from '../domain/model.js';

const schemaText = readSchema(mappedDraftOrderContract.schemaFile);
const schema = JSON.parse(schemaText) as avro.Schema;

// The registry's CJS module: Node's ESM interop and vitest's differ in where `default` lands.
type AvroHelperClass = new () => { getAvroSchema(schema: unknown): unknown };
const helperExports = avroHelperModule as unknown as { default: AvroHelperClass | { default: AvroHelperClass } };
const AvroHelper: AvroHelperClass = 'default' in helperExports.default ? helperExports.default.default : helperExports.default;

const address = {
  firstName: 'Anna',
  lastName: 'Schmidt',
  company: 'ACME',
  address1: 'Hauptstr. 1',
  address2: 'Hinterhaus',
  city: 'Berlin',
  provinceCode: 'BE',
  countryCode: 'DE',
  zip: '10115',
  phone: '+49301234',
};

const rich: MappedDraftOrder = {
  key: 'eu-brand.myshopify.com/draft/1152921504606846977',
  origin: { shop: 'eu-brand.myshopify.com', kind: 'draft', id: '1152921504606846977', name: '#D1' },
  connectionId: 'eu-brand',
  sourceShop: 'mainbrand.myshopify.com',
  action: 'UPSERT',
  version: '2026-03-01T09:05:00.000Z',
  draft: {
    email: 'anna@example.com',
    phone: '+4915112345678',
    customer: { email: 'anna@example.com', firstName: 'Anna', lastName: 'Schmidt', phone: null },
    shippingAddress: address,
    billingAddress: { ...address, company: null, address2: null },
    note: 'Please gift-wrap ✨',
    tags: ['vip', 'From eu-brand'],
    customAttributes: [{ key: 'channel', value: 'phone' }],
    lines: [
      {
        kind: 'variant',
        sourceVariantId: 'gid://shopify/ProductVariant/49000000000011',
        quantity: 1,
        priceOverride: { amount: '19.00', currencyCode: 'EUR' },
        customAttributes: [{ key: 'engraving', value: 'A' }],
        appliedDiscount: { title: 'LOYAL', description: null, value: '10.0', valueType: 'PERCENTAGE' },
      },
      {
        kind: 'variant',
        sourceVariantId: 'gid://shopify/ProductVariant/49000000000022',
        quantity: 2,
        priceOverride: null,
        customAttributes: [],
        appliedDiscount: null,
      },
      {
        kind: 'custom',
        title: 'Gift note',
        quantity: 3,
        price: { amount: '2.00', currencyCode: null },
        sku: 'GIFT',
        taxable: false,
        requiresShipping: false,
        grams: 15,
        customAttributes: [{ key: 'k', value: 'v' }],
        appliedDiscount: { title: null, description: 'd', value: '1.00', valueType: 'FIXED_AMOUNT' },
      },
    ],
    appliedDiscount: { title: 'ALL', description: 'whole order', value: '5', valueType: 'FIXED_AMOUNT' },
    shippingLine: { title: 'Express', price: '9.90', currencyCode: 'EUR' },
    taxExempt: true,
    presentmentCurrency: 'EUR',
  },
  skipReason: null,
  missingVariants: ['45000000000003'],
  sendInvoice: true,
  onCompleted: 'DELETE',
  onSourceEdited: 'KEEP',
  versionClock: 'TRIGGERED_AT',
  force: true,
  recordSource: 'backfill',
  rawId: 'backfill-7',
};

const skipped: MappedDraftOrder = {
  ...rich,
  action: 'SKIP',
  draft: null,
  skipReason: 'UNMAPPED',
  missingVariants: ['1', '2'],
  origin: { ...rich.origin, kind: 'order', name: null },
  onCompleted: 'TAG',
  force: false,
  recordSource: 'webhook',
};

describe('MappedDraftOrder Avro', () => {
  // Exactly how @kafkajs/confluent-schema-registry 3.9 builds the type (no forSchemaOptions).
  const registryType = new AvroHelper().getAvroSchema(schema) as avro.Type;
  const plainType = avro.Type.forSchema(schema);

  it.each([
    ['the registry helper', registryType],
    ['avsc defaults', plainType],
  ])('round-trips every field through %s', (_name, type) => {
    for (const value of [rich, skipped]) {
      const buffer = type.toBuffer(toAvro(value));
      const decoded = fromAvro(type.fromBuffer(buffer) as AvroMappedDraftOrder);
      expect(decoded).toStrictEqual(value);
    }
  });

  it('needs the line union wrapped (so the conversion is not optional)', () => {
    expect(registryType.isValid(rich)).toBe(false);
    expect(registryType.isValid(toAvro(rich))).toBe(true);
  });

  it('mirrors the model’s enums', () => {
    const names = (registryType as avro.types.RecordType).fields.map((f) => f.name);
    expect(names).toEqual([
      'key',
      'origin',
      'connectionId',
      'sourceShop',
      'action',
      'version',
      'draft',
      'skipReason',
      'missingVariants',
      'sendInvoice',
      'onCompleted',
      'onSourceEdited',
      'versionClock',
      'force',
      'recordSource',
      'rawId',
    ]);
    expect(schemaText).toContain('"symbols": ["UPSERT", "DELETE", "COMPLETE", "SKIP"]');
    expect(schemaText).toContain('"symbols": ["SYNC_DISABLED", "ORDER_TRIGGER_OFF", "UNMAPPED", "LOOP", "STALE"]');
  });
});
