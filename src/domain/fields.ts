// Field rules shared by the normalisers: zod building blocks (GraphQL, products) and the
// conversions the REST bodies, checked by JSON Schema (rest-bodies.ts), reuse.
import { z } from 'zod';
import type { Address, Attribute, Customer, Discount } from './model.js';

const ID_ERROR = 'expected a numeric id';

/**
 * A Shopify numeric id as a decimal string. Numbers are accepted only while exact: an unsafe
 * one has already been rounded by JSON.parse (use parseJsonKeepingBigInts on the raw body).
 */
export const numericId = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    if (Number.isSafeInteger(value)) return String(value);
    ctx.issues.push({ code: 'custom', input: value, message: 'id above 2^53 arrived as a JSON number and lost precision; parse the raw body' });
    return z.NEVER;
  }
  ctx.issues.push({ code: 'custom', input: value, message: ID_ERROR });
  return z.NEVER;
});

/** `gid://shopify/ProductVariant/123` or `123` → `123`. */
export const idOrGid = z
  .unknown()
  .transform((value): unknown => (typeof value === 'string' ? value.replace(/^gid:\/\/shopify\/[A-Za-z]+\//, '') : value))
  .pipe(numericId);

const MONEY_ERROR = 'expected a decimal amount';
/** Money amounts as decimal strings ("19.99"); numbers are tolerated and stringified. */
export const decimal = z.union(
  [
    z.string({ error: MONEY_ERROR }).regex(/^-?\d+(\.\d+)?$/, { error: MONEY_ERROR }),
    z.number({ error: MONEY_ERROR }).refine(Number.isFinite, { error: MONEY_ERROR }).transform((n) => String(n)),
  ],
  { error: MONEY_ERROR },
);

/** A timestamp, canonicalised to UTC `toISOString()` so versions compare as strings. */
export const timestamp = z
  .string({ error: 'expected an ISO-8601 timestamp' })
  .refine((value) => !Number.isNaN(Date.parse(value)), { error: 'expected an ISO-8601 timestamp' })
  .transform(isoTimestamp);

/** A parseable timestamp → UTC `toISOString()`. */
export function isoTimestamp(value: string): string {
  return new Date(value).toISOString();
}

export const positiveQuantity = z
  .number({ error: 'expected a positive integer' })
  .int({ error: 'expected a positive integer' })
  .positive({ error: 'expected a positive integer' });

export const nonNegativeQuantity = z
  .number({ error: 'expected a non-negative integer' })
  .int({ error: 'expected a non-negative integer' })
  .nonnegative({ error: 'expected a non-negative integer' });

/** Optional text: absent, null and blank all become null. */
export const optionalText = z.string({ error: 'expected a string or null' }).nullish().transform(textOrNull);

export function textOrNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

/** Attribute values may be null/number in the wild; the model keeps strings. */
export const attributeValue = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }).nullish().transform(attributeText);

export function attributeText(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export function attributesOf(list: readonly { key: string; value: string }[] | null | undefined): Attribute[] {
  return (list ?? []).map(({ key, value }) => ({ key, value }));
}

export function emptyToNull<T extends Record<string, string | null>>(record: T): T | null {
  return Object.values(record).every((value) => value === null) ? null : record;
}

export function addressOf(fields: {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  provinceCode: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}): Address | null {
  return emptyToNull({ ...fields });
}

export function customerOf(fields: Customer): Customer | null {
  return emptyToNull({ ...fields });
}

export function discountOf(fields: {
  title: string | null;
  description: string | null;
  value: string;
  valueType: Discount['valueType'];
}): Discount {
  return { title: fields.title, description: fields.description, value: fields.value, valueType: fields.valueType };
}

/** Shopify tags: a comma-separated string (REST) or a list (GraphQL) → trimmed, non-empty. */
export function splitTags(tags: string | readonly string[] | null | undefined): string[] {
  const list = typeof tags === 'string' ? tags.split(',') : (tags ?? []);
  return list.map((tag) => tag.trim()).filter((tag) => tag !== '');
}

const GRAMS_PER_UNIT = { GRAMS: 1, KILOGRAMS: 1000, OUNCES: 28.349523125, POUNDS: 453.59237 } as const;
export type WeightUnit = keyof typeof GRAMS_PER_UNIT;

export function gramsOf(weight: { unit: WeightUnit; value: number } | null | undefined): number {
  return weight ? Math.round(weight.value * GRAMS_PER_UNIT[weight.unit]) : 0;
}
