// One simulated shop: its catalog, customers, draft orders, orders and webhook subscriptions,
// and the operations Shopify performs on them (with Shopify's userErrors). Every change is
// announced through `onEvent` so the webhook dispatcher can deliver it.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { nextId } from '../core/ids.js';
import { UnsupportedInputError, type Outcome, type UserError } from './errors.js';
import {
  address,
  appliedDiscount,
  assertSupported,
  attributes,
  has,
  idOf,
  isRecord,
  moneyCents,
  optBoolean,
  optNumber,
  optString,
  records,
  strings,
  type InputRecord,
} from './input.js';
import type {
  Customer,
  DraftLine,
  DraftOrder,
  Order,
  Product,
  Variant,
  WebhookSubscription,
  WebhookTopic,
} from './model.js';
import { toCents } from './money.js';
import { WebhookSubscriptions } from './subscriptions.js';
import { MAX_TAG_LENGTH, normalizeTags } from './tags.js';
import { renderDraftOrder, renderOrder, renderProduct, type RestLookup } from '../rest/render.js';
import { unitPriceCents } from './totals.js';

export interface StoreEvent {
  shop: string;
  topic: WebhookTopic;
  /** REST resource JSON, rendered when the event happened (retries resend it unchanged). */
  body: Record<string, unknown>;
  triggeredAt: number;
}

export interface StoreOptions {
  shop: string;
  name?: string;
  currency?: string;
  email?: string;
  /** Shop time zone for REST timestamps, minutes east of UTC (e.g. -300 = UTC-05:00). */
  timezoneOffsetMinutes?: number;
  clock: Clock;
  onEvent: (event: StoreEvent) => void;
}

// ---- seeds (control API / in-process) ----

export interface VariantSeed {
  title?: string;
  sku?: string | null;
  barcode?: string | null;
  price: string | number;
  compareAtPrice?: string | number | null;
  /** Option values in the product's option order, e.g. ["M"] or ["Red", "M"]. */
  options?: string[];
  taxable?: boolean;
  requiresShipping?: boolean;
  grams?: number;
  inventoryQuantity?: number;
}

export interface ProductSeed {
  title: string;
  handle?: string;
  vendor?: string;
  productType?: string;
  status?: Product['status'];
  tags?: string[];
  /** Option names, e.g. ["Size"]. Without options the product has Shopify's "Title / Default Title". */
  options?: string[];
  variants: VariantSeed[];
}

export interface CustomerSeed {
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  tags?: string[];
  note?: string | null;
}

export function handleize(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const DRAFT_INPUT_FIELDS = [
  'email', 'phone', 'note', 'tags', 'customAttributes', 'lineItems', 'shippingAddress', 'billingAddress',
  'purchasingEntity', 'customerId', 'appliedDiscount', 'shippingLine', 'taxExempt', 'presentmentCurrencyCode',
  'poNumber', 'sourceName', 'visibleToCustomer', 'useCustomerDefaultAddress',
] as const;

const LINE_INPUT_FIELDS = [
  'variantId', 'quantity', 'appliedDiscount', 'customAttributes', 'priceOverride', 'title',
  'originalUnitPriceWithCurrency', 'originalUnitPrice', 'sku', 'taxable', 'requiresShipping', 'weight', 'grams',
  'uuid',
] as const;

const MAX_LINE_ITEMS = 499;
const MAX_DRAFT_VERSIONS = 20;

export class Store implements RestLookup {
  readonly shop: string;
  readonly name: string;
  readonly currency: string;
  readonly email: string;
  readonly timezoneOffsetMinutes: number;
  readonly shopId = nextId();
  readonly createdAt: number;

  private readonly products_ = new Map<number, Product>();
  private readonly variantIndex = new Map<number, Variant>();
  private readonly customers_ = new Map<number, Customer>();
  private readonly drafts_ = new Map<number, DraftOrder>();
  private readonly orders_ = new Map<number, Order>();
  /** API-created webhook subscriptions (create/update/delete with Shopify's checks). */
  readonly webhookSubscriptions: WebhookSubscriptions;
  /** Recent versions of each draft (null = deleted), for a search index that lags behind. */
  private readonly draftHistory = new Map<number, { at: number; draft: DraftOrder | null }[]>();
  private draftNumber = 0;
  private orderNumber = 1000;

  constructor(private readonly opts: StoreOptions) {
    this.shop = opts.shop;
    this.name = opts.name ?? opts.shop.replace('.myshopify.com', '');
    this.currency = opts.currency ?? 'USD';
    this.email = opts.email ?? `owner@${opts.shop}`;
    this.timezoneOffsetMinutes = opts.timezoneOffsetMinutes ?? 0;
    this.createdAt = opts.clock.now();
    this.webhookSubscriptions = new WebhookSubscriptions(opts.clock);
  }

  private now(): number {
    return this.opts.clock.now();
  }

  private recordDraftVersion(id: number, draft: DraftOrder | null): void {
    const versions = this.draftHistory.get(id) ?? [];
    versions.push({ at: this.now(), draft: draft ? structuredClone(draft) : null });
    if (versions.length > MAX_DRAFT_VERSIONS) versions.splice(0, versions.length - MAX_DRAFT_VERSIONS);
    this.draftHistory.set(id, versions);
  }

  /**
   * Drafts as a search index `lagMs` behind sees them: the version it matched on, and the
   * current draft it then returns. Drafts newer than the lag are not found yet; deleted ones are
   * found but no longer returned.
   */
  searchableDrafts(lagMs: number): { indexed: DraftOrder; current: DraftOrder }[] {
    if (lagMs <= 0) return this.drafts().map((d) => ({ indexed: d, current: d }));
    const cutoff = this.now() - lagMs;
    const out: { indexed: DraftOrder; current: DraftOrder }[] = [];
    for (const [id, versions] of this.draftHistory) {
      const indexed = versions.filter((v) => v.at <= cutoff).pop()?.draft;
      const current = this.drafts_.get(id);
      if (indexed && current) out.push({ indexed, current });
    }
    return out;
  }

  private emit(topic: WebhookTopic, body: Record<string, unknown>): void {
    this.opts.onEvent({ shop: this.shop, topic, body, triggeredAt: this.now() });
  }

  // ---------------------------------------------------------------- lookups

  product(id: number): Product | undefined {
    return this.products_.get(id);
  }
  products(): Product[] {
    return [...this.products_.values()];
  }
  variant(id: number): Variant | undefined {
    return this.variantIndex.get(id);
  }
  variants(): Variant[] {
    return [...this.variantIndex.values()];
  }
  customer(id: number): Customer | undefined {
    return this.customers_.get(id);
  }
  customers(): Customer[] {
    return [...this.customers_.values()];
  }
  customerByEmail(email: string): Customer | undefined {
    const wanted = email.trim().toLowerCase();
    return this.customers().find((c) => c.email?.toLowerCase() === wanted);
  }
  customerByPhone(phone: string): Customer | undefined {
    return this.customers().find((c) => c.phone === phone);
  }
  draft(id: number): DraftOrder | undefined {
    return this.drafts_.get(id);
  }
  drafts(): DraftOrder[] {
    return [...this.drafts_.values()];
  }
  order(id: number): Order | undefined {
    return this.orders_.get(id);
  }
  orders(): Order[] {
    return [...this.orders_.values()];
  }
  subscriptions(): WebhookSubscription[] {
    return this.webhookSubscriptions.list();
  }
  subscription(id: number): WebhookSubscription | undefined {
    return this.webhookSubscriptions.get(id);
  }

  // ---------------------------------------------------------------- catalog

  addProduct(seed: ProductSeed): Product {
    const now = this.now();
    const id = nextId();
    const optionNames = seed.options?.length ? seed.options : ['Title'];
    const variants: Variant[] = seed.variants.map((v, index) => {
      const values = seed.options?.length ? (v.options ?? []) : ['Default Title'];
      return {
        id: nextId(),
        productId: id,
        title: v.title ?? values.join(' / '),
        sku: v.sku ?? null,
        barcode: v.barcode ?? null,
        priceCents: toCents(v.price),
        compareAtPriceCents: v.compareAtPrice === undefined || v.compareAtPrice === null ? null : toCents(v.compareAtPrice),
        position: index + 1,
        selectedOptions: optionNames.map((name, i) => ({ name, value: values[i] ?? '' })),
        taxable: v.taxable ?? true,
        requiresShipping: v.requiresShipping ?? true,
        grams: v.grams ?? 0,
        inventoryQuantity: v.inventoryQuantity ?? 10,
        createdAt: now,
        updatedAt: now,
      };
    });
    const product: Product = {
      id,
      title: seed.title,
      handle: seed.handle ?? handleize(seed.title),
      vendor: seed.vendor ?? this.name,
      productType: seed.productType ?? '',
      status: seed.status ?? 'ACTIVE',
      tags: normalizeTags(seed.tags ?? []),
      options: optionNames.map((name, i) => ({
        id: nextId(),
        name,
        position: i + 1,
        values: [...new Set(variants.map((v) => v.selectedOptions[i]?.value ?? ''))],
      })),
      variants,
      createdAt: now,
      updatedAt: now,
    };
    this.products_.set(id, product);
    for (const v of variants) this.variantIndex.set(v.id, v);
    this.emit('products/create', renderProduct(product, this.timezoneOffsetMinutes));
    return product;
  }

  /** Changes variant fields (price, sku, barcode) or the product title; emits products/update. */
  updateProduct(
    id: number,
    patch: { title?: string; handle?: string; variants?: { id: number; sku?: string | null; barcode?: string | null; price?: string | number }[] },
  ): Product | undefined {
    const product = this.products_.get(id);
    if (!product) return undefined;
    const now = this.now();
    if (patch.title !== undefined) product.title = patch.title;
    if (patch.handle !== undefined) product.handle = patch.handle;
    for (const change of patch.variants ?? []) {
      const variant = product.variants.find((v) => v.id === change.id);
      if (!variant) continue;
      if (change.sku !== undefined) variant.sku = change.sku;
      if (change.barcode !== undefined) variant.barcode = change.barcode;
      if (change.price !== undefined) variant.priceCents = toCents(change.price);
      variant.updatedAt = now;
    }
    product.updatedAt = now;
    this.emit('products/update', renderProduct(product, this.timezoneOffsetMinutes));
    return product;
  }

  deleteProduct(id: number): boolean {
    const product = this.products_.get(id);
    if (!product) return false;
    this.products_.delete(id);
    for (const v of product.variants) this.variantIndex.delete(v.id);
    this.emit('products/delete', { id });
    return true;
  }

  addCustomer(seed: CustomerSeed): Customer {
    const now = this.now();
    const customer: Customer = {
      id: nextId(),
      email: seed.email ?? null,
      phone: seed.phone ?? null,
      firstName: seed.firstName ?? null,
      lastName: seed.lastName ?? null,
      tags: normalizeTags(seed.tags ?? []),
      note: seed.note ?? null,
      defaultAddress: null,
      createdAt: now,
      updatedAt: now,
    };
    this.customers_.set(customer.id, customer);
    return customer;
  }

  // ---------------------------------------------------------------- draft orders

  private buildLine(input: InputRecord, index: number, errors: UserError[]): DraftLine | undefined {
    const path = `lineItems[${index}]`;
    assertSupported(input, LINE_INPUT_FIELDS, path);
    const field = (name: string): string[] => ['lineItems', String(index), name];
    const quantity = optNumber(input, 'quantity') ?? 0;
    if (quantity < 1) {
      errors.push({ field: field('quantity'), message: 'Quantity must be greater than or equal to 1' });
      return undefined;
    }
    const priceOverrideCents = moneyCents(input['priceOverride']);
    const common = {
      id: nextId(),
      uuid: optString(input, 'uuid') ?? randomUUID(),
      quantity,
      priceOverrideCents,
      customAttributes: attributes(input['customAttributes']),
      appliedDiscount: appliedDiscount(input['appliedDiscount'], `${path}.appliedDiscount`),
    };
    if (has(input, 'variantId') && input['variantId'] !== null) {
      const variantId = idOf(input['variantId'], 'ProductVariant');
      const variant = this.variantIndex.get(variantId);
      const product = variant ? this.products_.get(variant.productId) : undefined;
      if (!variant || !product) {
        errors.push({ field: field('variantId'), message: `Product with ID ${variantId} is no longer available.` });
        return undefined;
      }
      return {
        ...common,
        variantId,
        productId: product.id,
        title: product.title,
        variantTitle: variant.title === 'Default Title' ? null : variant.title,
        sku: variant.sku,
        vendor: product.vendor,
        originalUnitPriceCents: variant.priceCents,
        custom: false,
        taxable: variant.taxable,
        requiresShipping: variant.requiresShipping,
        grams: variant.grams,
      };
    }
    const title = optString(input, 'title');
    if (!title?.trim()) {
      errors.push({ field: field('title'), message: "Title can't be blank" });
      return undefined;
    }
    const price =
      moneyCents(input['originalUnitPriceWithCurrency']) ??
      (input['originalUnitPrice'] !== undefined && input['originalUnitPrice'] !== null ? toCents(input['originalUnitPrice']) : 0);
    const weight = input['weight'];
    const grams = isRecord(weight) ? toGrams(weight) : (optNumber(input, 'grams') ?? 0);
    return {
      ...common,
      variantId: null,
      productId: null,
      title,
      variantTitle: null,
      sku: optString(input, 'sku'),
      vendor: null,
      originalUnitPriceCents: price,
      custom: true,
      taxable: optBoolean(input, 'taxable') ?? true,
      requiresShipping: optBoolean(input, 'requiresShipping') ?? true,
      grams,
    };
  }

  /** Applies a DraftOrderInput onto `draft` (a copy); returns userErrors instead when invalid. */
  private applyDraftInput(draft: DraftOrder, input: InputRecord, creating: boolean): UserError[] {
    assertSupported(input, DRAFT_INPUT_FIELDS, '');
    const errors: UserError[] = [];

    if (has(input, 'lineItems') || creating) {
      const lineInputs = records(input['lineItems']);
      if (lineInputs.length === 0) {
        errors.push({ field: ['lineItems'], message: 'Add at least 1 product' });
      } else if (lineInputs.length > MAX_LINE_ITEMS) {
        errors.push({ field: ['lineItems'], message: `Line items exceeds the maximum of ${MAX_LINE_ITEMS}` });
      } else {
        const lines = lineInputs.map((line, i) => this.buildLine(line, i, errors));
        draft.lines = lines.filter((l): l is DraftLine => l !== undefined);
      }
    }

    if (has(input, 'tags')) {
      const tags = strings(input['tags']);
      const tooLong = tags.find((t) => t.trim().length > MAX_TAG_LENGTH);
      if (tooLong !== undefined) {
        errors.push({ field: ['tags'], message: `Tag '${tooLong}' is too long (maximum is ${MAX_TAG_LENGTH} characters)` });
      }
      draft.tags = normalizeTags(tags); // an update replaces the whole set
    }

    const purchasing = input['purchasingEntity'];
    if (isRecord(purchasing)) assertSupported(purchasing, ['customerId'], 'purchasingEntity');
    const customerRef = isRecord(purchasing) ? purchasing['customerId'] : input['customerId'];
    if (customerRef !== undefined) {
      if (customerRef === null) {
        draft.customerId = null;
      } else {
        const customerId = idOf(customerRef, 'Customer');
        const customer = this.customers_.get(customerId);
        if (!customer) {
          const field = isRecord(purchasing) ? ['purchasingEntity', 'customerId'] : ['customerId'];
          errors.push({ field, message: 'Customer does not exist' });
        } else {
          draft.customerId = customerId;
          if (!has(input, 'email') && customer.email) draft.email = customer.email;
        }
      }
    }

    if (has(input, 'email')) {
      const email = optString(input, 'email');
      if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) errors.push({ field: ['email'], message: 'Email is invalid' });
      draft.email = email;
    }
    if (has(input, 'phone')) draft.phone = optString(input, 'phone');
    if (has(input, 'note')) draft.note = optString(input, 'note');
    if (has(input, 'poNumber')) draft.poNumber = optString(input, 'poNumber');
    if (has(input, 'sourceName')) draft.sourceName = optString(input, 'sourceName');
    if (has(input, 'taxExempt')) draft.taxExempt = optBoolean(input, 'taxExempt') ?? false;
    if (has(input, 'presentmentCurrencyCode')) {
      const currency = optString(input, 'presentmentCurrencyCode');
      if (currency && currency !== this.currency) {
        // Multi-currency pricing is not modelled: refuse rather than pretend.
        throw new UnsupportedInputError('presentmentCurrencyCode', `${currency} differs from the store currency ${this.currency}`);
      }
    }
    if (has(input, 'customAttributes')) draft.customAttributes = attributes(input['customAttributes']);
    if (has(input, 'shippingAddress')) draft.shippingAddress = address(input['shippingAddress'], 'shippingAddress');
    if (has(input, 'billingAddress')) draft.billingAddress = address(input['billingAddress'], 'billingAddress');
    if (has(input, 'appliedDiscount')) draft.appliedDiscount = appliedDiscount(input['appliedDiscount'], 'appliedDiscount');
    if (has(input, 'shippingLine')) {
      const line = input['shippingLine'];
      if (isRecord(line)) {
        // `price` (a Money scalar) is deprecated in 2026-10 but still accepted, as Shopify does.
        assertSupported(line, ['title', 'priceWithCurrency', 'price', 'shippingRateHandle'], 'shippingLine');
        const deprecatedPrice = line['price'];
        draft.shippingLine = {
          title: optString(line, 'title') ?? '',
          priceCents: moneyCents(line['priceWithCurrency']) ?? (deprecatedPrice == null ? 0 : toCents(deprecatedPrice)),
          shippingRateHandle: optString(line, 'shippingRateHandle'),
        };
      } else {
        draft.shippingLine = null;
      }
    }
    return errors;
  }

  createDraft(input: InputRecord): Outcome<DraftOrder> {
    const now = this.now();
    const draft: DraftOrder = {
      id: nextId(),
      number: 0,
      status: 'OPEN',
      email: null,
      phone: null,
      note: null,
      tags: [],
      customerId: null,
      shippingAddress: null,
      billingAddress: null,
      customAttributes: [],
      lines: [],
      appliedDiscount: null,
      shippingLine: null,
      taxExempt: false,
      poNumber: null,
      sourceName: null,
      currency: this.currency,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      invoiceSentAt: null,
      orderId: null,
    };
    const userErrors = this.applyDraftInput(draft, input, true);
    if (userErrors.length) return { ok: false, userErrors };
    draft.number = ++this.draftNumber;
    this.drafts_.set(draft.id, draft);
    this.recordDraftVersion(draft.id, draft);
    this.emit('draft_orders/create', renderDraftOrder(draft, this));
    return { ok: true, value: draft };
  }

  private missingDraft(field: string[] = ['id']): Outcome<never> {
    return { ok: false, userErrors: [{ field, message: 'Draft order does not exist' }] };
  }

  updateDraft(id: number, input: InputRecord): Outcome<DraftOrder> {
    const current = this.drafts_.get(id);
    if (!current) return this.missingDraft();
    if (current.status === 'COMPLETED') {
      return { ok: false, userErrors: [{ field: ['id'], message: 'Draft order has been completed and can no longer be edited' }] };
    }
    const next: DraftOrder = structuredClone(current);
    const userErrors = this.applyDraftInput(next, input, false);
    if (userErrors.length) return { ok: false, userErrors };
    next.updatedAt = Math.max(this.now(), current.updatedAt);
    this.drafts_.set(id, next);
    this.recordDraftVersion(id, next);
    this.emit('draft_orders/update', renderDraftOrder(next, this));
    return { ok: true, value: next };
  }

  deleteDraft(id: number): Outcome<{ id: number }> {
    const draft = this.drafts_.get(id);
    if (!draft) return this.missingDraft();
    if (draft.status === 'COMPLETED') {
      return { ok: false, userErrors: [{ field: ['id'], message: 'Completed draft orders cannot be deleted' }] };
    }
    this.drafts_.delete(id);
    this.recordDraftVersion(id, null);
    this.emit('draft_orders/delete', { id });
    return { ok: true, value: { id } };
  }

  /** draftOrderInvoiceSend: needs a recipient (`email.to` or the draft's email). */
  sendInvoice(id: number, emailInput: InputRecord | null): Outcome<DraftOrder> {
    const draft = this.drafts_.get(id);
    if (!draft) return this.missingDraft();
    if (emailInput) assertSupported(emailInput, ['to', 'from', 'subject', 'customMessage', 'bcc', 'body'], 'email');
    if (draft.status === 'COMPLETED') {
      return { ok: false, userErrors: [{ field: ['id'], message: 'Draft order has been completed' }] };
    }
    const to = (emailInput && optString(emailInput, 'to')) || draft.email;
    if (!to) {
      return { ok: false, userErrors: [{ field: ['email', 'to'], message: "To can't be blank" }] };
    }
    const now = this.now();
    draft.status = 'INVOICE_SENT';
    draft.invoiceSentAt = now;
    draft.updatedAt = Math.max(now, draft.updatedAt);
    this.recordDraftVersion(id, draft);
    this.emit('draft_orders/update', renderDraftOrder(draft, this));
    return { ok: true, value: draft };
  }

  /** Completing a draft creates an order (orders/create) and marks the draft COMPLETED (draft_orders/update). */
  completeDraft(id: number, paymentPending = false): Outcome<DraftOrder> {
    const draft = this.drafts_.get(id);
    if (!draft) return this.missingDraft();
    if (draft.status === 'COMPLETED') {
      return { ok: false, userErrors: [{ field: ['id'], message: 'Draft order has already been completed' }] };
    }
    const now = this.now();
    const order = this.insertOrder({
      email: draft.email,
      phone: draft.phone,
      customerId: draft.customerId,
      lines: draft.lines.map((l) => ({
        id: nextId(),
        variantId: l.variantId,
        productId: l.productId,
        title: l.title,
        variantTitle: l.variantTitle,
        sku: l.sku,
        vendor: l.vendor,
        quantity: l.quantity,
        priceCents: unitPriceCents(l),
        taxable: l.taxable,
        requiresShipping: l.requiresShipping,
        grams: l.grams,
        customAttributes: l.customAttributes,
      })),
      shippingAddress: draft.shippingAddress,
      billingAddress: draft.billingAddress,
      note: draft.note,
      tags: draft.tags,
      customAttributes: draft.customAttributes,
      financialStatus: paymentPending ? 'PENDING' : 'PAID',
      sourceName: 'shopify_draft_order',
      draftOrderId: draft.id,
    });
    draft.status = 'COMPLETED';
    draft.completedAt = now;
    draft.orderId = order.id;
    draft.updatedAt = Math.max(now, draft.updatedAt);
    this.recordDraftVersion(id, draft);
    this.emit('draft_orders/update', renderDraftOrder(draft, this));
    return { ok: true, value: draft };
  }

  // ---------------------------------------------------------------- orders

  private insertOrder(fields: Omit<Order, 'id' | 'number' | 'currency' | 'createdAt' | 'updatedAt'>): Order {
    const now = this.now();
    const order: Order = { ...fields, id: nextId(), number: ++this.orderNumber, currency: this.currency, createdAt: now, updatedAt: now };
    this.orders_.set(order.id, order);
    this.emit('orders/create', renderOrder(order, this));
    return order;
  }

  /**
   * A customer places an order (checkout). Lines reference catalog variants by GID or numeric id,
   * or are custom ({title, price}). As at checkout, a customer is found or created by email.
   */
  placeOrder(input: PlaceOrderInput): Outcome<Order> {
    const errors: UserError[] = [];
    const lines = input.lineItems.map((line, i) => {
      if (line.variantId !== undefined) {
        const variantId = typeof line.variantId === 'number' ? line.variantId : idOf(line.variantId, 'ProductVariant');
        const variant = this.variantIndex.get(variantId);
        const product = variant && this.products_.get(variant.productId);
        if (!variant || !product) {
          errors.push({ field: ['lineItems', String(i), 'variantId'], message: `Product with ID ${variantId} is no longer available.` });
          return undefined;
        }
        return {
          id: nextId(), variantId, productId: product.id, title: product.title,
          variantTitle: variant.title === 'Default Title' ? null : variant.title, sku: variant.sku, vendor: product.vendor,
          quantity: line.quantity, priceCents: line.price !== undefined ? toCents(line.price) : variant.priceCents,
          taxable: variant.taxable, requiresShipping: variant.requiresShipping, grams: variant.grams,
          customAttributes: line.customAttributes ?? [],
        };
      }
      return {
        id: nextId(), variantId: null, productId: null, title: line.title ?? 'Custom item', variantTitle: null,
        sku: line.sku ?? null, vendor: null, quantity: line.quantity, priceCents: toCents(line.price ?? 0),
        taxable: true, requiresShipping: true, grams: 0, customAttributes: line.customAttributes ?? [],
      };
    });
    if (lines.length === 0) errors.push({ field: ['lineItems'], message: 'Add at least 1 product' });
    if (errors.length) return { ok: false, userErrors: errors };
    let customer = input.email ? this.customerByEmail(input.email) : undefined;
    if (!customer && input.email) {
      customer = this.addCustomer({
        email: input.email,
        phone: input.phone ?? null,
        firstName: input.shippingAddress ? optString(input.shippingAddress, 'firstName') : null,
        lastName: input.shippingAddress ? optString(input.shippingAddress, 'lastName') : null,
      });
    }
    const order = this.insertOrder({
      email: input.email ?? null,
      phone: input.phone ?? null,
      customerId: customer?.id ?? null,
      lines: lines.filter((l): l is NonNullable<typeof l> => l !== undefined),
      shippingAddress: input.shippingAddress ? address(input.shippingAddress, 'shippingAddress') : null,
      billingAddress: input.billingAddress ? address(input.billingAddress, 'billingAddress') : null,
      note: input.note ?? null,
      tags: normalizeTags(input.tags ?? []),
      customAttributes: input.customAttributes ?? [],
      financialStatus: 'PAID',
      sourceName: 'web',
      draftOrderId: null,
    });
    return { ok: true, value: order };
  }

  // ---------------------------------------------------------------- webhook subscriptions

  /** Inserts a subscription without the API's checks (see `webhookSubscriptions` for those). */
  addSubscription(topic: WebhookTopic, uri: string, opts: { createdViaApi?: boolean; includeFields?: string[]; apiVersion?: string } = {}): WebhookSubscription {
    return this.webhookSubscriptions.add(topic, uri, opts);
  }

  removeSubscription(id: number): boolean {
    return this.webhookSubscriptions.remove(id);
  }

  subscriptionsFor(topic: WebhookTopic): WebhookSubscription[] {
    return this.webhookSubscriptions.forTopic(topic);
  }
}

export interface PlaceOrderInput {
  email?: string;
  phone?: string;
  note?: string;
  tags?: string[];
  customAttributes?: { key: string; value: string }[];
  shippingAddress?: InputRecord;
  billingAddress?: InputRecord;
  lineItems: {
    /** GID or numeric id of a variant of this store; omit for a custom line. */
    variantId?: string | number;
    quantity: number;
    title?: string;
    sku?: string;
    price?: string | number;
    customAttributes?: { key: string; value: string }[];
  }[];
}

function toGrams(weight: InputRecord): number {
  const value = optNumber(weight, 'value') ?? 0;
  switch (optString(weight, 'unit')) {
    case 'KILOGRAMS':
      return Math.round(value * 1000);
    case 'POUNDS':
      return Math.round(value * 453.592);
    case 'OUNCES':
      return Math.round(value * 28.3495);
    default:
      return Math.round(value);
  }
}

