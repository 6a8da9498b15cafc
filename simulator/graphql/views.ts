// GraphQL views of store records: plain objects whose keys are the schema's field names (values,
// or functions of the field arguments). The executor resolves only keys present here; any other
// selected field fails with an error naming it.
import type { ScopeSet } from '../access/scopes.js';
import { isoSeconds } from '../core/clock.js';
import { gid } from '../core/ids.js';
import type {
  Address,
  AppliedDiscount,
  Attribute,
  Customer,
  DraftLine,
  DraftOrder,
  Order,
  OrderLine,
  Product,
  ProductOption,
  Variant,
  WebhookSubscription,
} from '../store/model.js';
import { topicToEnum } from '../store/model.js';
import { decimalString, restMoney } from '../store/money.js';
import type { Store } from '../store/store.js';
import { invoiceUrl } from '../rest/render.js';
import {
  appliedDiscountAmountCents,
  draftTotals,
  lineDiscountCents,
  lineDiscountedTotalCents,
  lineOriginalTotalCents,
  unitPriceCents,
} from '../store/totals.js';
import { paginate, type PageArgs } from './connection.js';

export type View = { __typename: string } & Record<string, unknown>;
export type Args = Record<string, unknown>;

const time = (ms: number | null): string | null => (ms === null ? null : isoSeconds(ms));

export function pageArgs(args: Args): PageArgs {
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    first: num(args['first']),
    last: num(args['last']),
    after: str(args['after']),
    before: str(args['before']),
    reverse: args['reverse'] === true,
  };
}

export function userError(e: { field: string[] | null; message: string }): View {
  return { __typename: 'UserError', field: e.field, message: e.message };
}

/** Builds views for one store (relations — customer, variant, product — resolve inside it). */
export class Views {
  constructor(private readonly store: Store) {}

  private get currency(): string {
    return this.store.currency;
  }

  money(cents: number): View {
    return { __typename: 'MoneyV2', amount: decimalString(cents), currencyCode: this.currency };
  }

  moneyBag(cents: number): View {
    return { __typename: 'MoneyBag', shopMoney: this.money(cents), presentmentMoney: this.money(cents) };
  }

  attribute(a: Attribute): View {
    return { __typename: 'Attribute', key: a.key, value: a.value };
  }

  address(a: Address | null): View | null {
    if (!a) return null;
    const name = [a.firstName, a.lastName].filter(Boolean).join(' ');
    return {
      __typename: 'MailingAddress',
      address1: a.address1,
      address2: a.address2,
      city: a.city,
      company: a.company,
      country: a.country,
      countryCodeV2: a.countryCode,
      firstName: a.firstName,
      lastName: a.lastName,
      name: name || null,
      phone: a.phone,
      province: a.province,
      provinceCode: a.provinceCode,
      zip: a.zip,
      formattedArea: [a.city, a.provinceCode, a.country].filter(Boolean).join(', ') || null,
      formatted: (args: Args) =>
        [
          args['withName'] === true ? name : null,
          args['withCompany'] !== false ? a.company : null,
          a.address1,
          a.address2,
          [a.city, a.provinceCode, a.zip].filter(Boolean).join(' '),
          a.country,
        ].filter((line): line is string => Boolean(line)),
    };
  }

  customer(c: Customer | undefined): View | null {
    if (!c) return null;
    return {
      __typename: 'Customer',
      id: gid('Customer', c.id),
      legacyResourceId: String(c.id),
      email: c.email,
      phone: c.phone,
      firstName: c.firstName,
      lastName: c.lastName,
      displayName: [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || '',
      defaultEmailAddress: c.email ? { __typename: 'CustomerEmailAddress', emailAddress: c.email } : null,
      defaultPhoneNumber: c.phone ? { __typename: 'CustomerPhoneNumber', phoneNumber: c.phone } : null,
      defaultAddress: this.address(c.defaultAddress),
      tags: c.tags,
      note: c.note,
      state: 'DISABLED',
      verifiedEmail: true,
      taxExempt: false,
      numberOfOrders: String(this.store.orders().filter((o) => o.customerId === c.id).length),
      createdAt: time(c.createdAt),
      updatedAt: time(c.updatedAt),
    };
  }

  private discount(d: AppliedDiscount | null, baseCents: number, quantity = 1): View | null {
    if (!d) return null;
    return {
      __typename: 'DraftOrderAppliedDiscount',
      title: d.title,
      description: d.description,
      value: d.value,
      valueType: d.valueType,
      amountSet: this.moneyBag(appliedDiscountAmountCents(d, baseCents, quantity)),
      amountV2: this.money(appliedDiscountAmountCents(d, baseCents, quantity)),
    };
  }

  option(o: ProductOption, p: Product): View {
    return {
      __typename: 'ProductOption',
      id: gid('ProductOption', o.id),
      name: o.name,
      position: o.position,
      values: o.values,
      optionValues: o.values.map((value, i) => ({
        __typename: 'ProductOptionValue',
        id: `gid://shopify/ProductOptionValue/${o.id}${i + 1}`,
        name: value,
        hasVariants: p.variants.some((v) => v.selectedOptions[o.position - 1]?.value === value),
      })),
    };
  }

  product(p: Product | undefined): View | null {
    if (!p) return null;
    return {
      __typename: 'Product',
      id: gid('Product', p.id),
      legacyResourceId: String(p.id),
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      productType: p.productType,
      status: p.status,
      tags: p.tags,
      description: '',
      descriptionHtml: '',
      createdAt: time(p.createdAt),
      updatedAt: time(p.updatedAt),
      publishedAt: time(p.createdAt),
      hasOnlyDefaultVariant: p.variants.length === 1 && p.variants[0]?.title === 'Default Title',
      totalInventory: p.variants.reduce((sum, v) => sum + v.inventoryQuantity, 0),
      variantsCount: { __typename: 'Count', count: p.variants.length, precision: 'EXACT' },
      options: (args: Args) => {
        const first = typeof args['first'] === 'number' ? args['first'] : p.options.length;
        return p.options.slice(0, first).map((o) => this.option(o, p));
      },
      variants: (args: Args) =>
        paginate(p.variants, pageArgs(args), variantSort(args['sortKey']), (v) => this.variant(v), 'ProductVariantEdge'),
    };
  }

  variant(v: Variant | undefined): View | null {
    if (!v) return null;
    const product = this.store.product(v.productId);
    return {
      __typename: 'ProductVariant',
      id: gid('ProductVariant', v.id),
      legacyResourceId: String(v.id),
      title: v.title,
      displayName: product ? `${product.title} - ${v.title}` : v.title,
      sku: v.sku,
      barcode: v.barcode,
      price: restMoney(v.priceCents),
      compareAtPrice: v.compareAtPriceCents === null ? null : restMoney(v.compareAtPriceCents),
      position: v.position,
      selectedOptions: v.selectedOptions.map((o) => ({ __typename: 'SelectedOption', name: o.name, value: o.value })),
      taxable: v.taxable,
      inventoryQuantity: v.inventoryQuantity,
      availableForSale: v.inventoryQuantity > 0,
      createdAt: time(v.createdAt),
      updatedAt: time(v.updatedAt),
      product: () => this.product(product),
    };
  }

  draftLine(l: DraftLine): View {
    const unit = unitPriceCents(l);
    return {
      __typename: 'DraftOrderLineItem',
      id: gid('DraftOrderLineItem', l.id),
      uuid: l.uuid,
      title: l.title,
      name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
      variantTitle: l.variantTitle,
      sku: l.sku,
      vendor: l.vendor,
      quantity: l.quantity,
      custom: l.custom,
      taxable: l.taxable,
      requiresShipping: l.requiresShipping,
      isGiftCard: false,
      grams: l.grams,
      weight: { __typename: 'Weight', unit: 'GRAMS', value: l.grams },
      customAttributes: l.customAttributes.map((a) => this.attribute(a)),
      appliedDiscount: this.discount(l.appliedDiscount, lineOriginalTotalCents(l), l.quantity),
      originalUnitPriceWithCurrency: this.money(l.originalUnitPriceCents),
      originalUnitPriceSet: this.moneyBag(l.originalUnitPriceCents),
      originalUnitPrice: restMoney(l.originalUnitPriceCents),
      priceOverride: l.priceOverrideCents === null ? null : this.money(l.priceOverrideCents),
      approximateDiscountedUnitPriceSet: this.moneyBag(Math.round(lineDiscountedTotalCents(l) / l.quantity)),
      originalTotalSet: this.moneyBag(unit * l.quantity),
      originalTotal: restMoney(unit * l.quantity),
      discountedTotalSet: this.moneyBag(lineDiscountedTotalCents(l)),
      discountedTotal: restMoney(lineDiscountedTotalCents(l)),
      totalDiscountSet: this.moneyBag(lineDiscountCents(l)),
      totalDiscount: restMoney(lineDiscountCents(l)),
      taxLines: [],
      variant: () => (l.variantId === null ? null : this.variant(this.store.variant(l.variantId))),
      product: () => (l.productId === null ? null : this.product(this.store.product(l.productId))),
    };
  }

  draft(d: DraftOrder | undefined): View | null {
    if (!d) return null;
    const totals = draftTotals(d);
    const customer = d.customerId === null ? undefined : this.store.customer(d.customerId);
    return {
      __typename: 'DraftOrder',
      id: gid('DraftOrder', d.id),
      legacyResourceId: String(d.id),
      name: `#D${d.number}`,
      status: d.status,
      ready: true,
      email: d.email,
      phone: d.phone,
      note2: d.note,
      tags: d.tags,
      poNumber: d.poNumber,
      createdAt: time(d.createdAt),
      updatedAt: time(d.updatedAt),
      completedAt: time(d.completedAt),
      invoiceSentAt: time(d.invoiceSentAt),
      invoiceUrl: invoiceUrl(this.store.shop, d),
      currencyCode: d.currency,
      presentmentCurrencyCode: d.currency,
      taxExempt: d.taxExempt,
      taxesIncluded: false,
      taxLines: [],
      discountCodes: [],
      warnings: [],
      platformDiscounts: [],
      customAttributes: d.customAttributes.map((a) => this.attribute(a)),
      shippingAddress: this.address(d.shippingAddress),
      billingAddress: this.address(d.billingAddress),
      billingAddressMatchesShippingAddress: JSON.stringify(d.billingAddress) === JSON.stringify(d.shippingAddress),
      appliedDiscount: this.discount(d.appliedDiscount, totals.lineItemsCents),
      shippingLine: d.shippingLine
        ? {
            __typename: 'ShippingLine',
            title: d.shippingLine.title,
            custom: true,
            shippingRateHandle: d.shippingLine.shippingRateHandle,
            originalPriceSet: this.moneyBag(d.shippingLine.priceCents),
            discountedPriceSet: this.moneyBag(d.shippingLine.priceCents),
          }
        : null,
      totalQuantityOfLineItems: totals.quantity,
      totalWeight: String(totals.grams),
      lineItemsSubtotalPrice: this.moneyBag(totals.lineItemsCents),
      totalLineItemsPriceSet: this.moneyBag(totals.lineItemsCents),
      subtotalPriceSet: this.moneyBag(totals.subtotalCents),
      subtotalPrice: restMoney(totals.subtotalCents),
      totalDiscountsSet: this.moneyBag(totals.totalDiscountsCents),
      totalShippingPriceSet: this.moneyBag(totals.shippingCents),
      totalShippingPrice: restMoney(totals.shippingCents),
      totalTaxSet: this.moneyBag(0),
      totalTax: restMoney(0),
      totalPriceSet: this.moneyBag(totals.totalCents),
      totalPrice: restMoney(totals.totalCents),
      customer: () => this.customer(customer),
      purchasingEntity: () => this.customer(customer),
      order: () => (d.orderId === null ? null : this.order(this.store.order(d.orderId))),
      lineItems: (args: Args) => paginate(d.lines, pageArgs(args), positionSort(d.lines), (l) => this.draftLine(l), 'DraftOrderLineItemEdge'),
    };
  }

  orderLine(l: OrderLine): View {
    return {
      __typename: 'LineItem',
      id: gid('LineItem', l.id),
      title: l.title,
      name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
      variantTitle: l.variantTitle,
      sku: l.sku,
      vendor: l.vendor,
      quantity: l.quantity,
      currentQuantity: l.quantity,
      requiresShipping: l.requiresShipping,
      taxable: l.taxable,
      isGiftCard: false,
      weight: { __typename: 'Weight', unit: 'GRAMS', value: l.grams },
      customAttributes: l.customAttributes.map((a) => this.attribute(a)),
      originalUnitPriceSet: this.moneyBag(l.priceCents),
      discountedUnitPriceSet: this.moneyBag(l.priceCents),
      originalTotalSet: this.moneyBag(l.priceCents * l.quantity),
      discountedTotalSet: this.moneyBag(l.priceCents * l.quantity),
      variant: () => (l.variantId === null ? null : this.variant(this.store.variant(l.variantId))),
      product: () => (l.productId === null ? null : this.product(this.store.product(l.productId))),
    };
  }

  order(o: Order | undefined): View | null {
    if (!o) return null;
    const subtotal = o.lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0);
    const customer = o.customerId === null ? undefined : this.store.customer(o.customerId);
    return {
      __typename: 'Order',
      id: gid('Order', o.id),
      legacyResourceId: String(o.id),
      name: `#${o.number}`,
      number: o.number - 1000,
      email: o.email,
      phone: o.phone,
      note: o.note,
      tags: o.tags,
      poNumber: null,
      sourceName: o.sourceName,
      test: false,
      closed: false,
      confirmed: true,
      cancelledAt: null,
      createdAt: time(o.createdAt),
      updatedAt: time(o.updatedAt),
      processedAt: time(o.createdAt),
      currencyCode: o.currency,
      presentmentCurrencyCode: o.currency,
      // Orders here are placed without tax exemption or shipping charges.
      taxExempt: false,
      shippingLine: null,
      displayFinancialStatus: o.financialStatus,
      displayFulfillmentStatus: 'UNFULFILLED',
      subtotalLineItemsQuantity: o.lines.reduce((sum, l) => sum + l.quantity, 0),
      customAttributes: o.customAttributes.map((a) => this.attribute(a)),
      shippingAddress: this.address(o.shippingAddress),
      billingAddress: this.address(o.billingAddress),
      subtotalPriceSet: this.moneyBag(subtotal),
      totalPriceSet: this.moneyBag(subtotal),
      currentTotalPriceSet: this.moneyBag(subtotal),
      totalTaxSet: this.moneyBag(0),
      totalDiscountsSet: this.moneyBag(0),
      customer: () => this.customer(customer),
      lineItems: (args: Args) => paginate(o.lines, pageArgs(args), positionSort(o.lines), (l) => this.orderLine(l), 'LineItemEdge'),
    };
  }

  webhookSubscription(s: WebhookSubscription | undefined): View | null {
    if (!s) return null;
    return {
      __typename: 'WebhookSubscription',
      id: gid('WebhookSubscription', s.id),
      legacyResourceId: String(s.id),
      topic: topicToEnum(s.topic),
      uri: s.uri,
      // Deprecated in favour of `uri` in 2026-10, still served (HTTP endpoints only here).
      callbackUrl: s.uri,
      endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: s.uri },
      format: 'JSON',
      includeFields: s.includeFields,
      metafieldNamespaces: [],
      metafields: [],
      filter: s.filter,
      name: s.name,
      apiVersion: { __typename: 'ApiVersion', handle: s.apiVersion, displayName: s.apiVersion, supported: true },
      createdAt: time(s.createdAt),
      updatedAt: time(s.updatedAt),
    };
  }

  /** The calling app's installation: what `currentAppInstallation` answers for this token. */
  appInstallation(scopes: ScopeSet): View {
    return {
      __typename: 'AppInstallation',
      id: gid('AppInstallation', this.store.shopId),
      accessScopes: scopes.handles.map((handle) => ({ __typename: 'AccessScope', handle })),
    };
  }

  shop(): View {
    const s = this.store;
    const offset = s.timezoneOffsetMinutes;
    const sign = offset < 0 ? '-' : '+';
    const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    return {
      __typename: 'Shop',
      id: gid('Shop', s.shopId),
      name: s.name,
      myshopifyDomain: s.shop,
      email: s.email,
      contactEmail: s.email,
      currencyCode: s.currency,
      enabledPresentmentCurrencies: [s.currency],
      url: `https://${s.shop}`,
      timezoneOffsetMinutes: offset,
      timezoneOffset: `${sign}${hhmm}`,
      taxesIncluded: false,
      weightUnit: 'KILOGRAMS',
      createdAt: time(s.createdAt),
      updatedAt: time(s.createdAt),
      plan: { __typename: 'ShopPlan', publicDisplayName: 'Basic', partnerDevelopment: false, shopifyPlus: false },
    };
  }
}

/** Line items keep their input order. */
function positionSort<T extends { id: number }>(lines: readonly T[]): (item: T) => number {
  return (item) => lines.indexOf(item);
}

function variantSort(sortKey: unknown): (v: Variant) => string | number {
  switch (sortKey) {
    case 'SKU':
      return (v) => v.sku ?? '';
    case 'TITLE':
      return (v) => v.title;
    case 'ID':
      return (v) => v.id;
    default:
      return (v) => v.position;
  }
}
