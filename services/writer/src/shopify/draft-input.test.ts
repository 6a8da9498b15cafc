import { getVariableValues, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../../../../simulator/admin-schema.js';
import { sourceDraft } from '../../../../test/support/mapped-fixtures.js';
import { toDraftOrderInput, withSyncTag } from './draft-input.js';
import { DRAFT_ORDER_CREATE, DRAFT_ORDER_UPDATE } from './operations.js';

const SYNC_TAG = 'dos-0123456789abcdef01234567';

describe('toDraftOrderInput', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await loadAdminSchema();
  });

  function coerce(document: string, variables: Record<string, unknown>): readonly string[] {
    const operation = parse(document).definitions[0] as OperationDefinitionNode;
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    return (result.errors ?? []).map((e) => e.message);
  }

  it('carries lines, tags + sync tag, customer link, addresses and money', () => {
    const input = toDraftOrderInput(sourceDraft(), SYNC_TAG, 'gid://shopify/Customer/7');
    expect(input.tags).toEqual(['vip', 'From eu-brand.myshopify.com', SYNC_TAG]);
    expect(input.purchasingEntity).toEqual({ customerId: 'gid://shopify/Customer/7' });
    expect(input.email).toBe('ana@example.com');
    expect(input.lineItems).toEqual([
      { quantity: 1, variantId: 'gid://shopify/ProductVariant/1001' },
      {
        quantity: 2,
        variantId: 'gid://shopify/ProductVariant/1002',
        priceOverride: { amount: '39.90', currencyCode: 'EUR' },
        customAttributes: [{ key: 'engraving', value: 'A' }],
        appliedDiscount: { title: 'Loyal', value: 10, valueType: 'PERCENTAGE' },
      },
      {
        quantity: 1,
        title: 'Gift wrap',
        originalUnitPriceWithCurrency: { amount: '2.50', currencyCode: 'EUR' },
        sku: 'WRAP',
        taxable: false,
        requiresShipping: false,
        weight: { unit: 'GRAMS', value: 15 },
      },
    ]);
    expect(input.shippingLine).toEqual({ title: 'DHL', priceWithCurrency: { amount: '4.90', currencyCode: 'EUR' } });
    expect(input.appliedDiscount).toEqual({ description: 'goodwill', value: 5, valueType: 'FIXED_AMOUNT' });
    expect(input.presentmentCurrencyCode).toBe('EUR');
    // With a linked customer the address keeps only what the origin address had.
    expect(input.shippingAddress).toEqual({ address1: 'Hauptstr. 1', city: 'Berlin', countryCode: 'DE', zip: '10115' });
    expect(input.note).toBe('from eu-brand #D42');
    expect(input.customAttributes).toEqual([{ key: 'channel', value: 'b2b' }]);
  });

  it('without a source customer, keeps email and puts the name into the address', () => {
    const input = toDraftOrderInput(sourceDraft(), SYNC_TAG, null);
    expect(input.purchasingEntity).toBeUndefined();
    expect(input.email).toBe('ana@example.com');
    expect(input.shippingAddress).toMatchObject({ firstName: 'Ana', lastName: 'Lopez' });
  });

  it("sends the shipping price with the line's own currency when prices are the source catalog's", () => {
    const input = toDraftOrderInput(sourceDraft({ presentmentCurrency: null }), SYNC_TAG, null);
    expect(input.shippingLine).toEqual({ title: 'DHL', priceWithCurrency: { amount: '4.90', currencyCode: 'EUR' } });
    expect(input.presentmentCurrencyCode).toBeUndefined();
  });

  it('falls back to the deprecated shop-currency shipping price when no currency is known at all', () => {
    const base = sourceDraft({ presentmentCurrency: null });
    const draft = { ...base, shippingLine: { title: 'DHL', price: '4.90', currencyCode: null } };
    expect(toDraftOrderInput(draft, SYNC_TAG, null).shippingLine).toEqual({ title: 'DHL', price: '4.90' });
  });

  it('produces variables the real schema accepts for create and update', () => {
    const input = toDraftOrderInput(sourceDraft(), SYNC_TAG, 'gid://shopify/Customer/7');
    expect(coerce(DRAFT_ORDER_CREATE, { input })).toEqual([]);
    expect(coerce(DRAFT_ORDER_UPDATE, { id: 'gid://shopify/DraftOrder/1', input })).toEqual([]);
    const bare = toDraftOrderInput(sourceDraft({ presentmentCurrency: null, customer: null, email: null }), SYNC_TAG, null);
    expect(coerce(DRAFT_ORDER_CREATE, { input: bare })).toEqual([]);
  });

  it('adds the sync tag once and drops blanks', () => {
    expect(withSyncTag([' a ', '', SYNC_TAG, 'a'], SYNC_TAG)).toEqual(['a', SYNC_TAG]);
  });
});
