// What a REST webhook body (draft_orders/create|update|delete, orders/create) must look like,
// as JSON Schema checked in place (json-schema.ts): the fields the canonical model takes,
// unknown ones ignored. Each type below is what its schema admits.
import type { SchemaObject } from 'ajv';
import { compileBodyCheck } from './json-schema.js';

type Text = string | null | undefined;
type Id = string | number;
/** A decimal amount: Shopify sends strings ("19.90"); numbers are tolerated. */
type Amount = string | number;

export interface RestAttribute {
  readonly name: string;
  readonly value?: string | number | boolean | null;
}

export interface RestAddress {
  readonly first_name?: Text;
  readonly last_name?: Text;
  readonly company?: Text;
  readonly address1?: Text;
  readonly address2?: Text;
  readonly city?: Text;
  readonly province_code?: Text;
  readonly country_code?: Text;
  readonly zip?: Text;
  readonly phone?: Text;
}

export interface RestCustomer {
  readonly email?: Text;
  readonly first_name?: Text;
  readonly last_name?: Text;
  readonly phone?: Text;
}

export interface RestDiscount {
  readonly title?: Text;
  readonly description?: Text;
  readonly value: Amount;
  readonly value_type: 'fixed_amount' | 'percentage';
}

export interface RestShippingLine {
  readonly title: string;
  readonly price: Amount;
}

export interface RestLine {
  readonly variant_id?: Id | null;
  readonly product_id?: Id | null;
  readonly title: string;
  readonly variant_title?: Text;
  readonly sku?: Text;
  readonly quantity: number;
  readonly price: Amount;
  readonly price_set?: { readonly presentment_money?: { readonly amount: Amount; readonly currency_code: string } | null } | null;
  readonly custom?: boolean | null;
  readonly taxable?: boolean | null;
  readonly requires_shipping?: boolean | null;
  readonly grams?: number | null;
  readonly properties?: readonly RestAttribute[] | null;
  readonly applied_discount?: RestDiscount | null;
}

export interface RestCommon {
  readonly id: Id;
  readonly name?: Text;
  readonly email?: Text;
  readonly phone?: Text;
  readonly note?: Text;
  readonly tags?: Text;
  readonly note_attributes?: readonly RestAttribute[] | null;
  readonly customer?: RestCustomer | null;
  readonly shipping_address?: RestAddress | null;
  readonly billing_address?: RestAddress | null;
  readonly tax_exempt?: boolean | null;
  readonly currency?: Text;
  readonly presentment_currency?: Text;
  /** Absent in some of Shopify's own examples (orders/create): the webhook's time versions the body then. */
  readonly updated_at?: string;
}

export interface RestDraftBody extends RestCommon {
  readonly status: 'open' | 'invoice_sent' | 'completed';
  readonly line_items: readonly RestLine[];
  readonly applied_discount?: RestDiscount | null;
  readonly shipping_line?: RestShippingLine | null;
}

export interface RestOrderBody extends RestCommon {
  readonly line_items: readonly RestLine[];
  readonly shipping_lines?: readonly RestShippingLine[] | null;
}

/** Adds null to a schema's types. */
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, type: [...[schema.type as string | string[]].flat(), 'null'] });

const numericId: SchemaObject = {
  type: ['string', 'integer'],
  pattern: '^\\d{1,20}$',
  minimum: 0,
  // JSON.parse rounds bigger ones: parse the raw body with parseJsonKeepingBigInts.
  maximum: Number.MAX_SAFE_INTEGER,
  reason: { maximum: 'id above 2^53 arrived as a JSON number and lost precision; parse the raw body', '*': 'expected a numeric id' },
};
const text: SchemaObject = { type: ['string', 'null'], reason: 'expected a string or null' };
const string: SchemaObject = { type: 'string', reason: 'expected a string' };
const decimal: SchemaObject = { type: ['string', 'number'], pattern: '^-?\\d+(\\.\\d+)?$', reason: 'expected a decimal amount' };
const optionalBoolean: SchemaObject = { type: ['boolean', 'null'] };
const quantity = (minimum: 0 | 1): SchemaObject => ({
  type: 'integer',
  minimum,
  reason: minimum === 1 ? 'expected a positive integer' : 'expected a non-negative integer',
});

const attributes = nullable({
  type: 'array',
  items: {
    type: 'object',
    required: ['name'],
    properties: { name: string, value: { type: ['string', 'number', 'boolean', 'null'], reason: 'expected a string' } },
  },
});

const address = nullable({
  type: 'object',
  properties: Object.fromEntries(
    ['first_name', 'last_name', 'company', 'address1', 'address2', 'city', 'province_code', 'country_code', 'zip', 'phone'].map((field) => [field, text]),
  ),
});

const discount = nullable({
  type: 'object',
  required: ['value', 'value_type'],
  properties: { title: text, description: text, value: decimal, value_type: { type: 'string', enum: ['fixed_amount', 'percentage'] } },
});

const shippingLine: SchemaObject = { type: 'object', required: ['title', 'price'], properties: { title: string, price: decimal } };

const line = (minimumQuantity: 0 | 1): SchemaObject => ({
  type: 'object',
  required: ['title', 'quantity', 'price'],
  properties: {
    variant_id: nullable(numericId),
    product_id: nullable(numericId),
    title: string,
    variant_title: text,
    sku: text,
    quantity: quantity(minimumQuantity),
    price: decimal,
    price_set: nullable({
      type: 'object',
      properties: {
        presentment_money: nullable({ type: 'object', required: ['amount', 'currency_code'], properties: { amount: decimal, currency_code: string } }),
      },
    }),
    custom: optionalBoolean,
    taxable: optionalBoolean,
    requires_shipping: optionalBoolean,
    grams: { type: ['number', 'null'] },
    properties: attributes,
    applied_discount: discount,
  },
});

const common = {
  id: numericId,
  name: text,
  email: text,
  phone: text,
  note: text,
  tags: { type: ['string', 'null'], reason: 'expected a comma-separated string' },
  note_attributes: attributes,
  customer: nullable({ type: 'object', properties: { email: text, first_name: text, last_name: text, phone: text } }),
  shipping_address: address,
  billing_address: address,
  tax_exempt: optionalBoolean,
  currency: text,
  presentment_currency: text,
  updated_at: { type: 'string', format: 'timestamp', reason: 'expected an ISO-8601 timestamp' },
};

export const checkDraftBody = compileBodyCheck<RestDraftBody>({
  type: 'object',
  required: ['id', 'status', 'line_items'],
  properties: {
    ...common,
    status: { type: 'string', enum: ['open', 'invoice_sent', 'completed'] },
    line_items: { type: 'array', items: line(1) },
    applied_discount: discount,
    shipping_line: nullable(shippingLine),
  },
});

export const checkOrderBody = compileBodyCheck<RestOrderBody>({
  type: 'object',
  required: ['id', 'line_items'],
  properties: {
    ...common,
    // Edited orders may keep removed lines with quantity 0 (dropped when normalised).
    line_items: { type: 'array', items: line(0) },
    shipping_lines: nullable({ type: 'array', items: shippingLine }),
  },
});

export const checkDeleteBody = compileBodyCheck<{ readonly id: Id }>({ type: 'object', required: ['id'], properties: { id: numericId } });
