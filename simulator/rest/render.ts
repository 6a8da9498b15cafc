// REST resource JSON, as Shopify puts it in webhook bodies: snake_case, numeric ids, money as
// strings with two decimals, lowercase statuses, tags as one comma-separated string, timestamps
// in the shop's time zone at second precision.
import { gid } from '../core/ids.js';
import type { Address, AppliedDiscount, Attribute, Customer, DraftLine, DraftOrder, Order, OrderLine, Product } from '../store/model.js';
import { restMoney } from '../store/money.js';
import { tagsString } from '../store/tags.js';
import { appliedDiscountAmountCents, draftTotals, lineOriginalTotalCents, unitPriceCents } from '../store/totals.js';

export interface RestLookup {
  readonly shop: string;
  readonly currency: string;
  readonly timezoneOffsetMinutes: number;
  customer(id: number): Customer | undefined;
}

export type Json = Record<string, unknown>;

/** 2026-01-15T05:00:00-05:00 */
export function restTime(ms: number | null, offsetMinutes: number): string | null {
  if (ms === null) return null;
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return local.toISOString().replace(/\.\d{3}Z$/, offset);
}

export function renderAddress(a: Address | null): Json | null {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(' ');
  return {
    first_name: a.firstName,
    address1: a.address1,
    phone: a.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: a.lastName,
    address2: a.address2,
    company: a.company,
    latitude: null,
    longitude: null,
    name,
    country_code: a.countryCode,
    province_code: a.provinceCode,
  };
}

function noteAttributes(attrs: readonly Attribute[]): Json[] {
  return attrs.map((a) => ({ name: a.key, value: a.value }));
}

function renderDiscount(d: AppliedDiscount | null, baseCents: number, quantity = 1): Json | null {
  if (!d) return null;
  return {
    description: d.description,
    value: String(d.value),
    title: d.title,
    amount: restMoney(appliedDiscountAmountCents(d, baseCents, quantity)),
    value_type: d.valueType === 'PERCENTAGE' ? 'percentage' : 'fixed_amount',
  };
}

export function renderCustomer(c: Customer | undefined, lookup: RestLookup): Json | null {
  if (!c) return null;
  const t = (ms: number): string | null => restTime(ms, lookup.timezoneOffsetMinutes);
  return {
    id: c.id,
    email: c.email,
    created_at: t(c.createdAt),
    updated_at: t(c.updatedAt),
    first_name: c.firstName,
    last_name: c.lastName,
    state: 'disabled',
    note: c.note,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    currency: lookup.currency,
    tags: tagsString(c.tags),
    tax_exemptions: [],
    admin_graphql_api_id: gid('Customer', c.id),
    default_address: c.defaultAddress ? { ...renderAddress(c.defaultAddress), customer_id: c.id, default: true } : null,
  };
}

function renderDraftLine(l: DraftLine): Json {
  return {
    id: l.id,
    variant_id: l.variantId,
    product_id: l.productId,
    title: l.title,
    variant_title: l.variantTitle,
    sku: l.sku,
    vendor: l.vendor,
    quantity: l.quantity,
    requires_shipping: l.requiresShipping,
    taxable: l.taxable,
    gift_card: false,
    fulfillment_service: 'manual',
    grams: l.grams,
    tax_lines: [],
    applied_discount: renderDiscount(l.appliedDiscount, lineOriginalTotalCents(l), l.quantity),
    name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
    properties: noteAttributes(l.customAttributes),
    custom: l.custom,
    price: restMoney(unitPriceCents(l)),
    admin_graphql_api_id: gid('DraftOrderLineItem', l.id),
  };
}

export function invoiceUrl(shop: string, draft: DraftOrder): string {
  return `https://${shop}/invoices/${draft.id.toString(36)}${draft.number}`;
}

export function renderDraftOrder(d: DraftOrder, lookup: RestLookup): Json {
  const t = (ms: number | null): string | null => restTime(ms, lookup.timezoneOffsetMinutes);
  const totals = draftTotals(d);
  return {
    id: d.id,
    note: d.note,
    email: d.email,
    taxes_included: false,
    currency: d.currency,
    invoice_sent_at: t(d.invoiceSentAt),
    created_at: t(d.createdAt),
    updated_at: t(d.updatedAt),
    tax_exempt: d.taxExempt,
    completed_at: t(d.completedAt),
    name: `#D${d.number}`,
    allow_discount_codes_in_checkout: false,
    b2b: false,
    status: d.status.toLowerCase(),
    line_items: d.lines.map(renderDraftLine),
    api_client_id: null,
    shipping_address: renderAddress(d.shippingAddress),
    billing_address: renderAddress(d.billingAddress),
    invoice_url: invoiceUrl(lookup.shop, d),
    created_on_api_version_handle: null,
    applied_discount: renderDiscount(d.appliedDiscount, totals.lineItemsCents),
    order_id: d.orderId,
    shipping_line: d.shippingLine
      ? { title: d.shippingLine.title, custom: true, handle: d.shippingLine.shippingRateHandle, price: restMoney(d.shippingLine.priceCents) }
      : null,
    tax_lines: [],
    tags: tagsString(d.tags),
    note_attributes: noteAttributes(d.customAttributes),
    total_price: restMoney(totals.totalCents),
    subtotal_price: restMoney(totals.subtotalCents),
    total_tax: restMoney(totals.taxCents),
    payment_terms: null,
    presentment_currency: d.currency,
    po_number: d.poNumber,
    source_name: d.sourceName,
    admin_graphql_api_id: gid('DraftOrder', d.id),
    customer: d.customerId === null ? null : renderCustomer(lookup.customer(d.customerId), lookup),
  };
}

function renderOrderLine(l: OrderLine): Json {
  return {
    id: l.id,
    admin_graphql_api_id: gid('LineItem', l.id),
    variant_id: l.variantId,
    product_id: l.productId,
    title: l.title,
    variant_title: l.variantTitle,
    sku: l.sku,
    vendor: l.vendor,
    quantity: l.quantity,
    current_quantity: l.quantity,
    fulfillable_quantity: l.quantity,
    fulfillment_service: 'manual',
    fulfillment_status: null,
    gift_card: false,
    grams: l.grams,
    name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
    price: restMoney(l.priceCents),
    product_exists: l.productId !== null,
    properties: noteAttributes(l.customAttributes),
    requires_shipping: l.requiresShipping,
    taxable: l.taxable,
    total_discount: '0.00',
    tax_lines: [],
    discount_allocations: [],
    duties: [],
  };
}

export function renderOrder(o: Order, lookup: RestLookup): Json {
  const t = (ms: number | null): string | null => restTime(ms, lookup.timezoneOffsetMinutes);
  const subtotal = o.lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0);
  return {
    id: o.id,
    admin_graphql_api_id: gid('Order', o.id),
    name: `#${o.number}`,
    order_number: o.number,
    number: o.number - 1000,
    email: o.email,
    contact_email: o.email,
    phone: o.phone,
    created_at: t(o.createdAt),
    updated_at: t(o.updatedAt),
    processed_at: t(o.createdAt),
    cancelled_at: null,
    closed_at: null,
    confirmed: true,
    test: false,
    currency: o.currency,
    presentment_currency: o.currency,
    financial_status: o.financialStatus.toLowerCase(),
    fulfillment_status: null,
    note: o.note,
    note_attributes: noteAttributes(o.customAttributes),
    tags: tagsString(o.tags),
    source_name: o.sourceName,
    taxes_included: false,
    tax_lines: [],
    total_discounts: '0.00',
    subtotal_price: restMoney(subtotal),
    total_line_items_price: restMoney(subtotal),
    total_tax: '0.00',
    total_price: restMoney(subtotal),
    line_items: o.lines.map(renderOrderLine),
    shipping_lines: [],
    shipping_address: renderAddress(o.shippingAddress),
    billing_address: renderAddress(o.billingAddress),
    customer: o.customerId === null ? null : renderCustomer(lookup.customer(o.customerId), lookup),
  };
}

export function renderProduct(p: Product, offsetMinutes = 0): Json {
  const t = (ms: number): string | null => restTime(ms, offsetMinutes);
  return {
    id: p.id,
    admin_graphql_api_id: gid('Product', p.id),
    title: p.title,
    body_html: null,
    vendor: p.vendor,
    product_type: p.productType,
    created_at: t(p.createdAt),
    handle: p.handle,
    updated_at: t(p.updatedAt),
    published_at: t(p.createdAt),
    template_suffix: null,
    status: p.status.toLowerCase(),
    published_scope: 'global',
    tags: tagsString(p.tags),
    variants: p.variants.map((v) => ({
      id: v.id,
      admin_graphql_api_id: gid('ProductVariant', v.id),
      product_id: p.id,
      title: v.title,
      price: restMoney(v.priceCents),
      compare_at_price: v.compareAtPriceCents === null ? null : restMoney(v.compareAtPriceCents),
      position: v.position,
      sku: v.sku,
      barcode: v.barcode,
      option1: v.selectedOptions[0]?.value ?? null,
      option2: v.selectedOptions[1]?.value ?? null,
      option3: v.selectedOptions[2]?.value ?? null,
      taxable: v.taxable,
      requires_shipping: v.requiresShipping,
      grams: v.grams,
      inventory_quantity: v.inventoryQuantity,
      created_at: t(v.createdAt),
      updated_at: t(v.updatedAt),
    })),
    options: p.options.map((o) => ({ id: o.id, product_id: p.id, name: o.name, position: o.position, values: o.values })),
    images: [],
    image: null,
  };
}
