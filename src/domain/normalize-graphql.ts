// GraphQL DraftOrder / Order nodes (Admin API 2026-10, fetched by backfill and reconcile)
// → the canonical model. The selections below are exactly what the normalisers read, so
// fetchers and normalisers cannot drift apart; a test validates them against the real schema.
import { z } from 'zod';
import {
  addressOf,
  attributeValue,
  customerOf,
  decimal,
  discountOf,
  gramsOf,
  idOrGid,
  nonNegativeQuantity,
  optionalText,
  positiveQuantity,
  splitTags,
  timestamp,
} from './fields.js';
import type { CanonicalDraft, CanonicalLine, OriginKind } from './model.js';
import { fail, ok, type Result } from './result.js';
import { firstIssueReason } from './validation.js';

const ADDRESS_FIELDS = 'firstName lastName company address1 address2 city provinceCode countryCodeV2 zip phone';
const CUSTOMER_FIELDS = 'firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber }';
const DISCOUNT_FIELDS = 'title description value valueType';
const MONEY = 'amount currencyCode';

/**
 * Lines per record fetched in one query. Each line costs ~7 points, and one query may cost
 * at most 1000: pass a smaller number when listing several drafts per page.
 */
export const DEFAULT_LINES_PER_RECORD = 100;

export function draftOrderFields(linesFirst = DEFAULT_LINES_PER_RECORD): string {
  return `legacyResourceId name updatedAt status email phone note2 tags taxExempt currencyCode presentmentCurrencyCode
  customAttributes { key value }
  customer { ${CUSTOMER_FIELDS} }
  shippingAddress { ${ADDRESS_FIELDS} }
  billingAddress { ${ADDRESS_FIELDS} }
  appliedDiscount { ${DISCOUNT_FIELDS} }
  shippingLine { title originalPriceSet { presentmentMoney { ${MONEY} } } }
  lineItems(first: ${linesFirst}) {
    pageInfo { hasNextPage }
    nodes {
      variant { legacyResourceId } product { legacyResourceId }
      title variantTitle sku quantity custom taxable requiresShipping
      originalUnitPriceWithCurrency { ${MONEY} }
      weight { unit value }
      customAttributes { key value }
      appliedDiscount { ${DISCOUNT_FIELDS} }
    }
  }`;
}

export function orderFields(linesFirst = DEFAULT_LINES_PER_RECORD): string {
  return `legacyResourceId name updatedAt email phone note tags taxExempt currencyCode presentmentCurrencyCode
  customAttributes { key value }
  customer { ${CUSTOMER_FIELDS} }
  shippingAddress { ${ADDRESS_FIELDS} }
  billingAddress { ${ADDRESS_FIELDS} }
  shippingLine { title originalPriceSet { presentmentMoney { ${MONEY} } } }
  lineItems(first: ${linesFirst}) {
    pageInfo { hasNextPage }
    nodes {
      variant { legacyResourceId } product { legacyResourceId }
      title variantTitle sku quantity currentQuantity taxable requiresShipping
      originalUnitPriceSet { presentmentMoney { ${MONEY} } }
      weight { unit value }
      customAttributes { key value }
    }
  }`;
}

/** Selection for `draftOrder(id:) { … }` / `draftOrders { nodes { … } }`. */
export const DRAFT_ORDER_FIELDS = draftOrderFields();
/** Selection for `order(id:) { … }` / `orders { nodes { … } }`. */
export const ORDER_FIELDS = orderFields();

const money = z.object({ amount: decimal, currencyCode: z.string() });
const legacyRef = z.object({ legacyResourceId: idOrGid }).nullish();

const gqlAddress = z
  .object({
    firstName: optionalText,
    lastName: optionalText,
    company: optionalText,
    address1: optionalText,
    address2: optionalText,
    city: optionalText,
    provinceCode: optionalText,
    countryCodeV2: optionalText,
    countryCode: optionalText,
    zip: optionalText,
    phone: optionalText,
  })
  .nullish()
  .transform((a) =>
    a
      ? addressOf({
          firstName: a.firstName,
          lastName: a.lastName,
          company: a.company,
          address1: a.address1,
          address2: a.address2,
          city: a.city,
          provinceCode: a.provinceCode,
          countryCode: a.countryCodeV2 ?? a.countryCode,
          zip: a.zip,
          phone: a.phone,
        })
      : null,
  );

// Accepts the current email/phone objects and the deprecated scalar fields alike.
const gqlCustomer = z
  .object({
    firstName: optionalText,
    lastName: optionalText,
    email: optionalText,
    phone: optionalText,
    defaultEmailAddress: z.object({ emailAddress: optionalText }).nullish(),
    defaultPhoneNumber: z.object({ phoneNumber: optionalText }).nullish(),
  })
  .nullish()
  .transform((c) =>
    c
      ? customerOf({
          email: c.defaultEmailAddress?.emailAddress ?? c.email,
          firstName: c.firstName,
          lastName: c.lastName,
          phone: c.defaultPhoneNumber?.phoneNumber ?? c.phone,
        })
      : null,
  );

const gqlAttributes = z
  .array(z.object({ key: z.string(), value: attributeValue }))
  .nullish()
  .transform((list) => (list ?? []).map(({ key, value }) => ({ key, value })));

const gqlDiscount = z
  .object({ title: optionalText, description: optionalText, value: decimal, valueType: z.enum(['FIXED_AMOUNT', 'PERCENTAGE']) })
  .nullish()
  .transform((d) => (d ? discountOf(d) : null));

const gqlWeight = z.object({ unit: z.enum(['GRAMS', 'KILOGRAMS', 'OUNCES', 'POUNDS']), value: z.number() }).nullish();

const gqlShippingLine = z
  .object({ title: z.string(), originalPriceSet: z.object({ presentmentMoney: money }) })
  .nullish()
  .transform((s) => (s ? { title: s.title, price: s.originalPriceSet.presentmentMoney.amount, currencyCode: s.originalPriceSet.presentmentMoney.currencyCode } : null));

/** `{ nodes: [...] }` or `{ edges: [{ node }] }`; more pages than fetched is an error, not a silent cut. */
function connectionOf<T extends z.ZodType>(node: T) {
  return z
    .object({
      nodes: z.array(node).optional(),
      edges: z.array(z.object({ node })).optional(),
      pageInfo: z.object({ hasNextPage: z.boolean() }).optional(),
    })
    .refine((c) => c.pageInfo?.hasNextPage !== true, { error: 'more lines than fetched; fetch with a larger lineItems(first:)' })
    .refine((c) => c.nodes !== undefined || c.edges !== undefined, { error: 'expected nodes or edges' })
    // zod cannot infer `{ node: T }` through the generic parameter; the shape is checked above.
    .transform((c): z.output<T>[] => c.nodes ?? (c.edges ?? []).map((edge) => (edge as { node: z.output<T> }).node));
}

const draftLine = z.object({
  variant: legacyRef,
  product: legacyRef,
  title: z.string(),
  variantTitle: optionalText,
  sku: optionalText,
  quantity: positiveQuantity,
  custom: z.boolean().nullish(),
  taxable: z.boolean().nullish(),
  requiresShipping: z.boolean().nullish(),
  originalUnitPriceWithCurrency: money.nullish(),
  originalUnitPriceSet: z.object({ presentmentMoney: money }).nullish(),
  weight: gqlWeight,
  customAttributes: gqlAttributes,
  appliedDiscount: gqlDiscount,
});

const orderLine = draftLine.omit({ quantity: true }).extend({
  quantity: nonNegativeQuantity,
  // What is left after order edits; absent in older selections.
  currentQuantity: nonNegativeQuantity.nullish(),
});

type GqlLine = z.infer<typeof draftLine> | z.infer<typeof orderLine>;

function canonicalLine(line: GqlLine, quantity: number): CanonicalLine {
  const price = line.originalUnitPriceWithCurrency?.amount ?? line.originalUnitPriceSet?.presentmentMoney.amount ?? '0.00';
  return {
    variantId: line.custom === true ? null : (line.variant?.legacyResourceId ?? null),
    productId: line.product?.legacyResourceId ?? null,
    title: line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    quantity,
    price,
    taxable: line.taxable ?? true,
    requiresShipping: line.requiresShipping ?? true,
    grams: gramsOf(line.weight),
    customAttributes: line.customAttributes,
    appliedDiscount: line.appliedDiscount,
  };
}

const common = {
  legacyResourceId: idOrGid,
  name: optionalText,
  updatedAt: timestamp,
  email: optionalText,
  phone: optionalText,
  tags: z.array(z.string()).nullish(),
  taxExempt: z.boolean().nullish(),
  currencyCode: optionalText,
  presentmentCurrencyCode: optionalText,
  customAttributes: gqlAttributes,
  customer: gqlCustomer,
  shippingAddress: gqlAddress,
  billingAddress: gqlAddress,
  shippingLine: gqlShippingLine,
};

const gqlDraftSchema = z.object({
  ...common,
  status: z.enum(['OPEN', 'INVOICE_SENT', 'COMPLETED']),
  note2: optionalText,
  appliedDiscount: gqlDiscount,
  lineItems: connectionOf(draftLine),
});

const gqlOrderSchema = z.object({
  ...common,
  note: optionalText,
  lineItems: connectionOf(orderLine),
});

type CommonFields = z.infer<z.ZodObject<typeof common>>;

function canonicalOf(
  node: CommonFields,
  shop: string,
  kind: OriginKind,
  rest: Pick<CanonicalDraft, 'status' | 'lines' | 'appliedDiscount' | 'note'>,
): CanonicalDraft {
  return {
    origin: { shop, kind, id: node.legacyResourceId, name: node.name },
    version: node.updatedAt,
    email: node.email ?? node.customer?.email ?? null,
    phone: node.phone ?? node.customer?.phone ?? null,
    customer: node.customer,
    shippingAddress: node.shippingAddress,
    billingAddress: node.billingAddress,
    tags: splitTags(node.tags),
    customAttributes: node.customAttributes,
    shippingLine: node.shippingLine,
    taxExempt: node.taxExempt ?? false,
    currency: node.presentmentCurrencyCode ?? node.currencyCode,
    ...rest,
  };
}

export function normalizeGraphqlDraft(node: unknown, shop: string): Result<CanonicalDraft> {
  const result = gqlDraftSchema.safeParse(node);
  if (!result.success) return fail(firstIssueReason(result.error));
  const d = result.data;
  return ok(
    canonicalOf(d, shop, 'draft', {
      status: d.status,
      note: d.note2,
      appliedDiscount: d.appliedDiscount,
      lines: d.lineItems.map((line) => canonicalLine(line, line.quantity)),
    }),
  );
}

export function normalizeGraphqlOrder(node: unknown, shop: string): Result<CanonicalDraft> {
  const result = gqlOrderSchema.safeParse(node);
  if (!result.success) return fail(firstIssueReason(result.error));
  const o = result.data;
  return ok(
    canonicalOf(o, shop, 'order', {
      status: 'OPEN',
      note: o.note,
      appliedDiscount: null,
      lines: o.lineItems
        .map((line) => canonicalLine(line, line.currentQuantity ?? line.quantity))
        .filter((line) => line.quantity > 0),
    }),
  );
}
