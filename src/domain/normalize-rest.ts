// REST webhook bodies (draft_orders/create|update, orders/create, draft_orders/delete)
// → the canonical model. Unknown fields are ignored; a body that is not a draft/order is a
// typed failure with the first problem's path, never a thrown TypeError.
import { addressOf, attributeText, customerOf, discountOf, isoTimestamp, splitTags, textOrNull } from './fields.js';
import type { Address, Attribute, CanonicalDraft, CanonicalLine, Customer, Discount, OriginKind, OriginStatus } from './model.js';
import {
  checkDeleteBody,
  checkDraftBody,
  checkOrderBody,
  type RestAddress,
  type RestAttribute,
  type RestCommon,
  type RestCustomer,
  type RestDiscount,
  type RestLine,
  type RestShippingLine,
} from './rest-bodies.js';
import { ok, type Result } from './result.js';
import { parseBody } from './safe-json.js';

// Ids and amounts are checked as decimal strings or exact numbers: String() is their text.
const optionalId = (id: string | number | null | undefined): string | null => (id === null || id === undefined ? null : String(id));

function addressFrom(a: RestAddress | null | undefined): Address | null {
  if (!a) return null;
  return addressOf({
    firstName: textOrNull(a.first_name),
    lastName: textOrNull(a.last_name),
    company: textOrNull(a.company),
    address1: textOrNull(a.address1),
    address2: textOrNull(a.address2),
    city: textOrNull(a.city),
    provinceCode: textOrNull(a.province_code),
    countryCode: textOrNull(a.country_code),
    zip: textOrNull(a.zip),
    phone: textOrNull(a.phone),
  });
}

function customerFrom(c: RestCustomer | null | undefined): Customer | null {
  return c ? customerOf({ email: textOrNull(c.email), firstName: textOrNull(c.first_name), lastName: textOrNull(c.last_name), phone: textOrNull(c.phone) }) : null;
}

function attributesFrom(list: readonly RestAttribute[] | null | undefined): Attribute[] {
  return (list ?? []).map(({ name, value }) => ({ key: name, value: attributeText(value) }));
}

function discountFrom(d: RestDiscount | null | undefined): Discount | null {
  if (!d) return null;
  return discountOf({
    title: textOrNull(d.title),
    description: textOrNull(d.description),
    value: String(d.value),
    valueType: d.value_type === 'percentage' ? 'PERCENTAGE' : 'FIXED_AMOUNT',
  });
}

function canonicalLine(line: RestLine): CanonicalLine {
  // A line without a variant (custom, or its product deleted) can only be carried as custom.
  const variantId = line.custom === true ? null : optionalId(line.variant_id);
  return {
    variantId,
    productId: optionalId(line.product_id),
    title: line.title,
    variantTitle: textOrNull(line.variant_title),
    sku: textOrNull(line.sku),
    quantity: line.quantity,
    price: String(line.price_set?.presentment_money?.amount ?? line.price),
    taxable: line.taxable ?? true,
    requiresShipping: line.requires_shipping ?? true,
    grams: Math.round(line.grams ?? 0),
    customAttributes: attributesFrom(line.properties),
    appliedDiscount: discountFrom(line.applied_discount),
  };
}

const STATUS: Record<'open' | 'invoice_sent' | 'completed', OriginStatus> = {
  open: 'OPEN',
  invoice_sent: 'INVOICE_SENT',
  completed: 'COMPLETED',
};

const currencyOf = (body: RestCommon): string | null => textOrNull(body.presentment_currency) ?? textOrNull(body.currency);

function shippingLineOf(line: RestShippingLine | null | undefined, body: RestCommon): CanonicalDraft['shippingLine'] {
  return line ? { title: line.title, price: String(line.price), currencyCode: currencyOf(body) } : null;
}

function canonicalOf(
  body: RestCommon,
  shop: string,
  kind: OriginKind,
  rest: Pick<CanonicalDraft, 'status' | 'lines' | 'appliedDiscount' | 'shippingLine'>,
): CanonicalDraft {
  const customer = customerFrom(body.customer);
  return {
    origin: { shop, kind, id: String(body.id), name: textOrNull(body.name) },
    version: body.updated_at === undefined ? null : isoTimestamp(body.updated_at),
    email: textOrNull(body.email) ?? customer?.email ?? null,
    phone: textOrNull(body.phone) ?? customer?.phone ?? null,
    customer,
    shippingAddress: addressFrom(body.shipping_address),
    billingAddress: addressFrom(body.billing_address),
    note: textOrNull(body.note),
    tags: splitTags(body.tags),
    customAttributes: attributesFrom(body.note_attributes),
    taxExempt: body.tax_exempt ?? false,
    currency: currencyOf(body),
    ...rest,
  };
}

/** A `draft_orders/create|update` body (raw text/bytes preferred: keeps big ids exact). */
export function normalizeRestDraft(body: unknown, shop: string): Result<CanonicalDraft> {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  const checked = checkDraftBody(parsed.value);
  if (!checked.ok) return checked;
  const d = checked.value;
  return ok(
    canonicalOf(d, shop, 'draft', {
      status: STATUS[d.status],
      lines: d.line_items.map(canonicalLine),
      appliedDiscount: discountFrom(d.applied_discount),
      shippingLine: shippingLineOf(d.shipping_line, d),
    }),
  );
}

/** An `orders/create` body: becomes a draft to review in the source store. */
export function normalizeRestOrder(body: unknown, shop: string): Result<CanonicalDraft> {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  const checked = checkOrderBody(parsed.value);
  if (!checked.ok) return checked;
  const o = checked.value;
  return ok(
    canonicalOf(o, shop, 'order', {
      status: 'OPEN',
      lines: o.line_items.filter((line) => line.quantity > 0).map(canonicalLine),
      // Order-level discounts are allocations of codes, not a draft discount: not carried.
      appliedDiscount: null,
      shippingLine: shippingLineOf(o.shipping_lines?.[0], o),
    }),
  );
}

/** `draft_orders/delete` (and any `{ "id": … }` body) → the id as an exact string. */
export function parseDeleteBody(body: unknown): Result<string> {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  const checked = checkDeleteBody(parsed.value);
  return checked.ok ? ok(String(checked.value.id)) : checked;
}
