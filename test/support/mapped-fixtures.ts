// Builders for mapper output used across the writer's tests.
import type { MappedDraftOrder, SourceDraft } from '../../src/domain/model.js';

export function sourceDraft(overrides: Partial<SourceDraft> = {}): SourceDraft {
  return {
    email: 'ana@example.com',
    phone: '+4915112345678',
    customer: { email: 'ana@example.com', firstName: 'Ana', lastName: 'Lopez', phone: null },
    shippingAddress: {
      firstName: null,
      lastName: null,
      company: null,
      address1: 'Hauptstr. 1',
      address2: null,
      city: 'Berlin',
      provinceCode: null,
      countryCode: 'DE',
      zip: '10115',
      phone: null,
    },
    billingAddress: null,
    note: 'from eu-brand #D42',
    tags: ['vip', 'From eu-brand.myshopify.com'],
    customAttributes: [{ key: 'channel', value: 'b2b' }],
    lines: [
      {
        kind: 'variant',
        sourceVariantId: 'gid://shopify/ProductVariant/1001',
        quantity: 1,
        priceOverride: null,
        customAttributes: [],
        appliedDiscount: null,
      },
      {
        kind: 'variant',
        sourceVariantId: 'gid://shopify/ProductVariant/1002',
        quantity: 2,
        priceOverride: { amount: '39.90', currencyCode: 'EUR' },
        customAttributes: [{ key: 'engraving', value: 'A' }],
        appliedDiscount: { title: 'Loyal', description: null, value: '10.0', valueType: 'PERCENTAGE' },
      },
      {
        kind: 'custom',
        title: 'Gift wrap',
        quantity: 1,
        price: { amount: '2.50', currencyCode: null },
        sku: 'WRAP',
        taxable: false,
        requiresShipping: false,
        grams: 15,
        customAttributes: [],
        appliedDiscount: null,
      },
    ],
    appliedDiscount: { title: null, description: 'goodwill', value: '5.00', valueType: 'FIXED_AMOUNT' },
    shippingLine: { title: 'DHL', price: '4.90', currencyCode: 'EUR' },
    taxExempt: false,
    presentmentCurrency: 'EUR',
    ...overrides,
  };
}

export function mappedRecord(overrides: Partial<MappedDraftOrder> = {}): MappedDraftOrder {
  const id = overrides.origin?.id ?? '42';
  const origin = overrides.origin ?? { shop: 'eu-brand.myshopify.com', kind: 'draft' as const, id, name: '#D42' };
  return {
    key: `${origin.shop}/${origin.kind}/${origin.id}`,
    origin,
    connectionId: 'mainbrand<-eu-brand',
    sourceShop: 'mainbrand.myshopify.com',
    action: 'UPSERT',
    version: '2026-01-01T10:00:00Z',
    draft: sourceDraft(),
    skipReason: null,
    missingVariants: [],
    sendInvoice: false,
    onCompleted: 'TAG',
    onSourceEdited: 'OVERWRITE',
    versionClock: 'UPDATED_AT',
    force: false,
    recordSource: 'webhook',
    rawId: 'raw-1',
    ...overrides,
  };
}
