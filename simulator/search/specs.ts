// Which search fields each list supports and how they match (the subset of Shopify's search
// syntax the product relies on; other documented fields fall into "ignored with a warning").
import type { Customer, DraftOrder, Order, Product, Variant, WebhookSubscription } from '../store/model.js';
import { draftTotals } from '../store/totals.js';
import {
  matchAnyText,
  matchDate,
  matchFreeText,
  matchNumber,
  matchText,
  type SearchSpec,
} from './search-filter.js';

export interface DraftSearchContext {
  customer(id: number): Customer | undefined;
}

export function draftOrderSearch(ctx: DraftSearchContext): SearchSpec<DraftOrder> {
  return {
    fields: {
      tag: (d, t) => matchAnyText(d.tags, t),
      tag_not: (d, t) => !matchAnyText(d.tags, t),
      status: (d, t) => matchText(d.status, t),
      updated_at: (d, t) => matchDate(d.updatedAt, t),
      created_at: (d, t) => matchDate(d.createdAt, t),
      id: (d, t) => matchNumber(d.id, t),
      customer_id: (d, t) => d.customerId !== null && matchNumber(d.customerId, t),
      source: (d, t) => matchText(d.sourceName, t),
      name: (d, t) => matchText(`#D${d.number}`, t) || matchText(`D${d.number}`, t),
      email: (d, t) => matchText(d.email, t),
      total_price: (d, t) => matchNumber(draftTotals(d).totalCents / 100, t),
    },
    text: (d, t) => {
      const customer = d.customerId === null ? undefined : ctx.customer(d.customerId);
      return matchFreeText([`#D${d.number}`, d.email, customer?.firstName, customer?.lastName, ...d.tags], t);
    },
  };
}

export interface VariantSearchContext {
  product(id: number): Product | undefined;
}

export function productVariantSearch(ctx: VariantSearchContext): SearchSpec<Variant> {
  return {
    fields: {
      sku: (v, t) => matchText(v.sku, t),
      barcode: (v, t) => matchText(v.barcode, t),
      product_id: (v, t) => matchNumber(v.productId, t),
      id: (v, t) => matchNumber(v.id, t),
      title: (v, t) => matchText(v.title, t),
      updated_at: (v, t) => matchDate(v.updatedAt, t),
      created_at: (v, t) => matchDate(v.createdAt, t),
      product_status: (v, t) => matchText(ctx.product(v.productId)?.status, t),
    },
    text: (v, t) => matchFreeText([v.sku, v.barcode, v.title, ctx.product(v.productId)?.title], t),
  };
}

export const productSearch: SearchSpec<Product> = {
  fields: {
    handle: (p, t) => matchText(p.handle, t),
    title: (p, t) => matchText(p.title, t),
    sku: (p, t) => p.variants.some((v) => matchText(v.sku, t)),
    barcode: (p, t) => p.variants.some((v) => matchText(v.barcode, t)),
    id: (p, t) => matchNumber(p.id, t),
    status: (p, t) => matchText(p.status, t),
    tag: (p, t) => matchAnyText(p.tags, t),
    vendor: (p, t) => matchText(p.vendor, t),
    product_type: (p, t) => matchText(p.productType, t),
    updated_at: (p, t) => matchDate(p.updatedAt, t),
    created_at: (p, t) => matchDate(p.createdAt, t),
  },
  text: (p, t) => matchFreeText([p.title, p.handle, p.vendor, ...p.tags, ...p.variants.map((v) => v.sku)], t),
};

export const customerSearch: SearchSpec<Customer> = {
  fields: {
    email: (c, t) => matchText(c.email, t),
    phone: (c, t) => matchText(c.phone, t),
    id: (c, t) => matchNumber(c.id, t),
    first_name: (c, t) => matchText(c.firstName, t),
    last_name: (c, t) => matchText(c.lastName, t),
    tag: (c, t) => matchAnyText(c.tags, t),
    updated_at: (c, t) => matchDate(c.updatedAt, t),
    created_at: (c, t) => matchDate(c.createdAt, t),
  },
  text: (c, t) => matchFreeText([c.email, c.phone, c.firstName, c.lastName], t),
};

export const orderSearch: SearchSpec<Order> = {
  fields: {
    id: (o, t) => matchNumber(o.id, t),
    name: (o, t) => matchText(`#${o.number}`, t) || matchText(String(o.number), t),
    email: (o, t) => matchText(o.email, t),
    tag: (o, t) => matchAnyText(o.tags, t),
    financial_status: (o, t) => matchText(o.financialStatus, t),
    source_name: (o, t) => matchText(o.sourceName, t),
    customer_id: (o, t) => o.customerId !== null && matchNumber(o.customerId, t),
    updated_at: (o, t) => matchDate(o.updatedAt, t),
    created_at: (o, t) => matchDate(o.createdAt, t),
    processed_at: (o, t) => matchDate(o.createdAt, t),
  },
  text: (o, t) => matchFreeText([`#${o.number}`, o.email, ...o.tags], t),
};

/** webhookSubscriptions(query:) documents created_at, id and updated_at. */
export const webhookSubscriptionSearch: SearchSpec<WebhookSubscription> = {
  fields: {
    id: (s, t) => matchNumber(s.id, t),
    created_at: (s, t) => matchDate(s.createdAt, t),
    updated_at: (s, t) => matchDate(s.updatedAt, t),
  },
  text: (s, t) => matchFreeText([s.uri, s.name], t),
};
