// REST webhook bodies (draft_orders/create|update, orders/create, draft_orders/delete)
// → the canonical model. Unknown fields are ignored; a body that is not a draft/order is a
// typed failure with the first problem's path, never a thrown TypeError.
import { z } from 'zod';
import {
  addressOf,
  attributeValue,
  customerOf,
  decimal,
  discountOf,
  nonNegativeQuantity,
  numericId,
  optionalText,
  positiveQuantity,
  splitTags,
  timestamp,
} from './fields.js';
import type { CanonicalDraft, CanonicalLine, Discount, OriginKind, OriginStatus } from './model.js';
import { fail, ok, type Result } from './result.js';
import { parseBody } from './safe-json.js';
import { firstIssueReason } from './validation.js';

const restAddress = z
  .object({
    first_name: optionalText,
    last_name: optionalText,
    company: optionalText,
    address1: optionalText,
    address2: optionalText,
    city: optionalText,
    province_code: optionalText,
    country_code: optionalText,
    zip: optionalText,
    phone: optionalText,
  })
  .nullish()
  .transform((a) =>
    a
      ? addressOf({
          firstName: a.first_name,
          lastName: a.last_name,
          company: a.company,
          address1: a.address1,
          address2: a.address2,
          city: a.city,
          provinceCode: a.province_code,
          countryCode: a.country_code,
          zip: a.zip,
          phone: a.phone,
        })
      : null,
  );

const restCustomer = z
  .object({ email: optionalText, first_name: optionalText, last_name: optionalText, phone: optionalText })
  .nullish()
  .transform((c) => (c ? customerOf({ email: c.email, firstName: c.first_name, lastName: c.last_name, phone: c.phone }) : null));

const restAttributes = z
  .array(z.object({ name: z.string({ error: 'expected a string' }), value: attributeValue }))
  .nullish()
  .transform((list) => (list ?? []).map(({ name, value }) => ({ key: name, value })));

const restDiscount = z
  .object({
    title: optionalText,
    description: optionalText,
    value: decimal,
    value_type: z.enum(['fixed_amount', 'percentage']),
  })
  .nullish()
  .transform((d): Discount | null =>
    d
      ? discountOf({
          title: d.title,
          description: d.description,
          value: d.value,
          valueType: d.value_type === 'percentage' ? 'PERCENTAGE' : 'FIXED_AMOUNT',
        })
      : null,
  );

const restMoneyPair = z
  .object({ presentment_money: z.object({ amount: decimal, currency_code: z.string() }).nullish() })
  .nullish();

function restLine(quantity: z.ZodType<number>) {
  return z.object({
    variant_id: numericId.nullish(),
    product_id: numericId.nullish(),
    title: z.string({ error: 'expected a string' }),
    variant_title: optionalText,
    sku: optionalText,
    quantity,
    price: decimal,
    price_set: restMoneyPair,
    custom: z.boolean().nullish(),
    taxable: z.boolean().nullish(),
    requires_shipping: z.boolean().nullish(),
    grams: z.number().nullish(),
    properties: restAttributes,
    applied_discount: restDiscount,
  });
}

type RestLine = z.infer<ReturnType<typeof restLine>>;

function canonicalLine(line: RestLine): CanonicalLine {
  // A line without a variant (custom, or its product deleted) can only be carried as custom.
  const variantId = line.custom === true ? null : (line.variant_id ?? null);
  return {
    variantId,
    productId: line.product_id ?? null,
    title: line.title,
    variantTitle: line.variant_title,
    sku: line.sku,
    quantity: line.quantity,
    price: line.price_set?.presentment_money?.amount ?? line.price,
    taxable: line.taxable ?? true,
    requiresShipping: line.requires_shipping ?? true,
    grams: Math.round(line.grams ?? 0),
    customAttributes: line.properties,
    appliedDiscount: line.applied_discount,
  };
}

const common = {
  id: numericId,
  name: optionalText,
  email: optionalText,
  phone: optionalText,
  note: optionalText,
  tags: z.string({ error: 'expected a comma-separated string' }).nullish(),
  note_attributes: restAttributes,
  customer: restCustomer,
  shipping_address: restAddress,
  billing_address: restAddress,
  tax_exempt: z.boolean().nullish(),
  currency: optionalText,
  presentment_currency: optionalText,
  updated_at: timestamp,
};

const restDraftSchema = z.object({
  ...common,
  status: z.enum(['open', 'invoice_sent', 'completed']),
  line_items: z.array(restLine(positiveQuantity)),
  applied_discount: restDiscount,
  shipping_line: z.object({ title: z.string(), price: decimal }).nullish(),
});

const restOrderSchema = z.object({
  ...common,
  // Edited orders may keep removed lines with quantity 0: those are dropped.
  line_items: z.array(restLine(nonNegativeQuantity)),
  shipping_lines: z.array(z.object({ title: z.string(), price: decimal })).nullish(),
});

const STATUS: Record<'open' | 'invoice_sent' | 'completed', OriginStatus> = {
  open: 'OPEN',
  invoice_sent: 'INVOICE_SENT',
  completed: 'COMPLETED',
};

type CommonFields = z.infer<z.ZodObject<typeof common>>;

function canonicalOf(
  body: CommonFields,
  shop: string,
  kind: OriginKind,
  rest: Pick<CanonicalDraft, 'status' | 'lines' | 'appliedDiscount' | 'shippingLine'>,
): CanonicalDraft {
  return {
    origin: { shop, kind, id: body.id, name: body.name },
    version: body.updated_at,
    email: body.email ?? body.customer?.email ?? null,
    phone: body.phone ?? body.customer?.phone ?? null,
    customer: body.customer,
    shippingAddress: body.shipping_address,
    billingAddress: body.billing_address,
    note: body.note,
    tags: splitTags(body.tags),
    customAttributes: body.note_attributes,
    taxExempt: body.tax_exempt ?? false,
    currency: body.presentment_currency ?? body.currency,
    ...rest,
  };
}

/** A `draft_orders/create|update` body (raw text/bytes preferred: keeps big ids exact). */
export function normalizeRestDraft(body: unknown, shop: string): Result<CanonicalDraft> {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  const result = restDraftSchema.safeParse(parsed.value);
  if (!result.success) return fail(firstIssueReason(result.error));
  const d = result.data;
  return ok(
    canonicalOf(d, shop, 'draft', {
      status: STATUS[d.status],
      lines: d.line_items.map(canonicalLine),
      appliedDiscount: d.applied_discount,
      shippingLine: d.shipping_line ? { title: d.shipping_line.title, price: d.shipping_line.price, currencyCode: d.presentment_currency ?? d.currency ?? null } : null,
    }),
  );
}

/** An `orders/create` body: becomes a draft to review in the source store. */
export function normalizeRestOrder(body: unknown, shop: string): Result<CanonicalDraft> {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  const result = restOrderSchema.safeParse(parsed.value);
  if (!result.success) return fail(firstIssueReason(result.error));
  const o = result.data;
  const shipping = o.shipping_lines?.[0];
  return ok(
    canonicalOf(o, shop, 'order', {
      status: 'OPEN',
      lines: o.line_items.filter((line) => line.quantity > 0).map(canonicalLine),
      // Order-level discounts are allocations of codes, not a draft discount: not carried.
      appliedDiscount: null,
      shippingLine: shipping ? { title: shipping.title, price: shipping.price, currencyCode: o.presentment_currency ?? o.currency ?? null } : null,
    }),
  );
}

const deleteSchema = z.object({ id: numericId });

/** `draft_orders/delete` (and any `{ "id": … }` body) → the id as an exact string. */
export function parseDeleteBody(body: unknown): Result<string> {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  const result = deleteSchema.safeParse(parsed.value);
  return result.success ? ok(result.data.id) : fail(firstIssueReason(result.error));
}
