// SourceDraft (mapper output) → Shopify's DraftOrderInput. Pure.
import type { Address, Attribute, Discount, MappedLine, Money, ShippingLine, SourceDraft } from '../../../../src/domain/model.js';

export interface MoneyInput {
  readonly amount: string;
  readonly currencyCode: string;
}

export interface AttributeInput {
  readonly key: string;
  readonly value: string;
}

export interface AppliedDiscountInput {
  readonly title?: string;
  readonly description?: string;
  readonly value: number;
  readonly valueType: 'FIXED_AMOUNT' | 'PERCENTAGE';
}

export interface MailingAddressInput {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly company?: string;
  readonly address1?: string;
  readonly address2?: string;
  readonly city?: string;
  readonly provinceCode?: string;
  readonly countryCode?: string;
  readonly zip?: string;
  readonly phone?: string;
}

export interface DraftOrderLineItemInput {
  readonly quantity: number;
  readonly variantId?: string;
  readonly priceOverride?: MoneyInput;
  readonly title?: string;
  readonly originalUnitPriceWithCurrency?: MoneyInput;
  readonly sku?: string;
  readonly taxable?: boolean;
  readonly requiresShipping?: boolean;
  readonly weight?: { readonly unit: 'GRAMS'; readonly value: number };
  readonly customAttributes?: readonly AttributeInput[];
  readonly appliedDiscount?: AppliedDiscountInput;
}

export interface ShippingLineInput {
  readonly title: string;
  /** With a known currency; else the shop-currency `price`. */
  readonly priceWithCurrency?: MoneyInput;
  readonly price?: string;
}

export interface DraftOrderInput {
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly purchasingEntity?: { readonly customerId: string };
  readonly shippingAddress?: MailingAddressInput | null;
  readonly billingAddress?: MailingAddressInput | null;
  readonly note?: string | null;
  readonly tags: readonly string[];
  readonly customAttributes?: readonly AttributeInput[];
  readonly lineItems?: readonly DraftOrderLineItemInput[];
  readonly appliedDiscount?: AppliedDiscountInput | null;
  readonly shippingLine?: ShippingLineInput | null;
  readonly taxExempt?: boolean;
  readonly presentmentCurrencyCode?: string;
}

/** Shop currency fallback when neither the money value nor the draft names one. */
const FALLBACK_CURRENCY = 'USD';

/**
 * The full input for create and update: updates replace lists, so both always send
 * every line and every tag. `sourceCustomerId` is the source store's customer with the
 * draft's email, looked up by the writer; without one the customer's name travels in the
 * addresses so nothing the origin knew is lost.
 */
export function toDraftOrderInput(draft: SourceDraft, syncTag: string, sourceCustomerId: string | null): DraftOrderInput {
  const currency = draft.presentmentCurrency;
  const email = draft.email ?? draft.customer?.email ?? null;
  const phone = draft.phone ?? draft.customer?.phone ?? null;
  return {
    email,
    phone,
    ...(sourceCustomerId !== null ? { purchasingEntity: { customerId: sourceCustomerId } } : {}),
    shippingAddress: addressInput(draft.shippingAddress, draft, sourceCustomerId),
    billingAddress: addressInput(draft.billingAddress, draft, sourceCustomerId),
    note: draft.note,
    tags: withSyncTag(draft.tags, syncTag),
    customAttributes: draft.customAttributes.map(attributeInput),
    lineItems: draft.lines.map((line) => lineInput(line, currency)),
    appliedDiscount: draft.appliedDiscount ? discountInput(draft.appliedDiscount) : null,
    shippingLine: draft.shippingLine ? shippingLineInput(draft.shippingLine, currency) : null,
    taxExempt: draft.taxExempt,
    ...(currency ? { presentmentCurrencyCode: currency } : {}),
  };
}

/** `price` is deprecated in 2026-10: the amount goes with its currency (the line's own, else the draft's). */
function shippingLineInput(line: ShippingLine, draftCurrency: string | null): ShippingLineInput {
  const currencyCode = line.currencyCode ?? draftCurrency;
  return currencyCode
    ? { title: line.title, priceWithCurrency: { amount: line.price, currencyCode } }
    : { title: line.title, price: line.price };
}

/** The draft's tags plus our sync tag, deduplicated, order kept. */
export function withSyncTag(tags: readonly string[], syncTag: string): string[] {
  const out: string[] = [];
  for (const tag of [...tags, syncTag]) {
    const trimmed = tag.trim();
    if (trimmed !== '' && !out.includes(trimmed)) out.push(trimmed);
  }
  return out;
}

function lineInput(line: MappedLine, draftCurrency: string | null): DraftOrderLineItemInput {
  const common = {
    quantity: line.quantity,
    ...(line.customAttributes.length > 0 ? { customAttributes: line.customAttributes.map(attributeInput) } : {}),
    ...(line.appliedDiscount ? { appliedDiscount: discountInput(line.appliedDiscount) } : {}),
  };
  if (line.kind === 'variant') {
    return {
      ...common,
      variantId: line.sourceVariantId,
      ...(line.priceOverride ? { priceOverride: moneyInput(line.priceOverride, draftCurrency) } : {}),
    };
  }
  return {
    ...common,
    title: line.title,
    originalUnitPriceWithCurrency: moneyInput(line.price, draftCurrency),
    ...(line.sku !== null ? { sku: line.sku } : {}),
    taxable: line.taxable,
    requiresShipping: line.requiresShipping,
    weight: { unit: 'GRAMS', value: line.grams },
  };
}

function moneyInput(money: Money, draftCurrency: string | null): MoneyInput {
  return { amount: money.amount, currencyCode: money.currencyCode ?? draftCurrency ?? FALLBACK_CURRENCY };
}

function attributeInput(attribute: Attribute): AttributeInput {
  return { key: attribute.key, value: attribute.value };
}

function discountInput(discount: Discount): AppliedDiscountInput {
  return {
    ...(discount.title !== null ? { title: discount.title } : {}),
    ...(discount.description !== null ? { description: discount.description } : {}),
    value: Number.parseFloat(discount.value),
    valueType: discount.valueType,
  };
}

/** Null fields are left out: MailingAddressInput treats absent and null alike, absent is tidier. */
function addressInput(
  address: Address | null,
  draft: SourceDraft,
  sourceCustomerId: string | null,
): MailingAddressInput | null {
  if (!address) return null;
  // Without a linked customer the address is the only place the buyer's name survives.
  const firstName = address.firstName ?? (sourceCustomerId === null ? draft.customer?.firstName ?? null : null);
  const lastName = address.lastName ?? (sourceCustomerId === null ? draft.customer?.lastName ?? null : null);
  const fields: Record<string, string | null> = {
    firstName,
    lastName,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    provinceCode: address.provinceCode,
    countryCode: address.countryCode,
    zip: address.zip,
    phone: address.phone,
  };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) if (value !== null) out[name] = value;
  return out;
}
