// Readers for input objects that GraphQL (or the control API, through the same schema input
// types) has already type-checked. They narrow `unknown` and refuse fields we do not model.
import { InvalidInputError, UnsupportedInputError } from './errors.js';
import { parseGid } from '../core/ids.js';
import type { Address, AppliedDiscount, Attribute } from './model.js';
import { toCents } from './money.js';

export type InputRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is InputRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws UnsupportedInputError for keys (with a non-null value) outside `supported`. */
export function assertSupported(input: InputRecord, supported: readonly string[], path: string): void {
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && value !== null && !supported.includes(key)) {
      throw new UnsupportedInputError(path ? `${path}.${key}` : key);
    }
  }
}

export function has(input: InputRecord, key: string): boolean {
  return key in input && input[key] !== undefined;
}

export function optString(input: InputRecord, key: string): string | null {
  const value = input[key];
  return typeof value === 'string' ? value : null;
}

export function optBoolean(input: InputRecord, key: string): boolean | null {
  const value = input[key];
  return typeof value === 'boolean' ? value : null;
}

export function optNumber(input: InputRecord, key: string): number | null {
  const value = input[key];
  return typeof value === 'number' ? value : null;
}

export function records(value: unknown): InputRecord[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Numeric id of a `gid://shopify/<type>/<n>`; malformed ids are a top-level error, as in Shopify. */
export function idOf(value: unknown, type: string): number {
  const parsed = typeof value === 'string' ? parseGid(value) : undefined;
  if (!parsed) throw new InvalidInputError(`Invalid global id '${String(value)}'`);
  if (parsed.type !== type) throw new InvalidInputError(`Invalid global id '${String(value)}': expected a ${type}`);
  return parsed.id;
}

export function attributes(value: unknown): Attribute[] {
  return records(value).map((a) => ({ key: optString(a, 'key') ?? '', value: optString(a, 'value') ?? '' }));
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

export function countryName(code: string | null): string | null {
  if (!code) return null;
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const ADDRESS_FIELDS = [
  'address1', 'address2', 'city', 'company', 'countryCode', 'provinceCode', 'firstName', 'lastName',
  'phone', 'zip', 'country', 'province',
] as const;

/** MailingAddressInput → Address. The province name is not looked up (the code is kept). */
export function address(value: unknown, path: string): Address | null {
  if (!isRecord(value)) return null;
  assertSupported(value, ADDRESS_FIELDS, path);
  const countryCode = optString(value, 'countryCode');
  const provinceCode = optString(value, 'provinceCode');
  return {
    firstName: optString(value, 'firstName'),
    lastName: optString(value, 'lastName'),
    company: optString(value, 'company'),
    address1: optString(value, 'address1'),
    address2: optString(value, 'address2'),
    city: optString(value, 'city'),
    province: optString(value, 'province') ?? provinceCode,
    provinceCode,
    country: optString(value, 'country') ?? countryName(countryCode),
    countryCode,
    zip: optString(value, 'zip'),
    phone: optString(value, 'phone'),
  };
}

/** DraftOrderAppliedDiscountInput → AppliedDiscount. */
export function appliedDiscount(value: unknown, path: string): AppliedDiscount | null {
  if (!isRecord(value)) return null;
  assertSupported(value, ['value', 'valueType', 'title', 'description', 'amountWithCurrency'], path);
  const valueType = optString(value, 'valueType') === 'PERCENTAGE' ? 'PERCENTAGE' : 'FIXED_AMOUNT';
  let amount = optNumber(value, 'value') ?? 0;
  const withCurrency = value['amountWithCurrency'];
  if (valueType === 'FIXED_AMOUNT' && isRecord(withCurrency)) amount = toCents(withCurrency['amount']) / 100;
  return {
    title: optString(value, 'title'),
    description: optString(value, 'description') ?? '',
    value: amount,
    valueType,
  };
}

/** MoneyInput → cents. */
export function moneyCents(value: unknown): number | null {
  if (!isRecord(value)) return null;
  try {
    return toCents(value['amount']);
  } catch {
    throw new InvalidInputError(`Invalid decimal amount '${String(value['amount'])}'`);
  }
}
