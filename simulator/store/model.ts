// What a simulated store holds. Plain data: ids are Shopify's numeric ids, money is kept in
// minor units (cents) so totals add up exactly.

export interface Address {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}

export interface Attribute {
  key: string;
  value: string;
}

export interface ProductOption {
  id: number;
  name: string;
  position: number;
  values: string[];
}

export interface Variant {
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  priceCents: number;
  compareAtPriceCents: number | null;
  position: number;
  selectedOptions: { name: string; value: string }[];
  taxable: boolean;
  requiresShipping: boolean;
  grams: number;
  inventoryQuantity: number;
  createdAt: number;
  updatedAt: number;
}

export interface Product {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  tags: string[];
  options: ProductOption[];
  variants: Variant[];
  createdAt: number;
  updatedAt: number;
}

export interface Customer {
  id: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  note: string | null;
  defaultAddress: Address | null;
  createdAt: number;
  updatedAt: number;
}

export type DiscountValueType = 'FIXED_AMOUNT' | 'PERCENTAGE';

export interface AppliedDiscount {
  title: string | null;
  description: string;
  value: number;
  valueType: DiscountValueType;
}

export interface ShippingLine {
  title: string;
  priceCents: number;
  shippingRateHandle: string | null;
}

export interface DraftLine {
  id: number;
  uuid: string;
  variantId: number | null;
  productId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  /** Catalog price (or custom item price). */
  originalUnitPriceCents: number;
  /** Set by `priceOverride`; wins over the catalog price. */
  priceOverrideCents: number | null;
  custom: boolean;
  taxable: boolean;
  requiresShipping: boolean;
  grams: number;
  customAttributes: Attribute[];
  appliedDiscount: AppliedDiscount | null;
}

export type DraftStatus = 'OPEN' | 'INVOICE_SENT' | 'COMPLETED';

export interface DraftOrder {
  id: number;
  /** Per-store sequence behind the name `#D<number>`. */
  number: number;
  status: DraftStatus;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  customerId: number | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  customAttributes: Attribute[];
  lines: DraftLine[];
  appliedDiscount: AppliedDiscount | null;
  shippingLine: ShippingLine | null;
  taxExempt: boolean;
  poNumber: string | null;
  sourceName: string | null;
  currency: string;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  invoiceSentAt: number | null;
  orderId: number | null;
}

export interface OrderLine {
  id: number;
  variantId: number | null;
  productId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  priceCents: number;
  taxable: boolean;
  requiresShipping: boolean;
  grams: number;
  customAttributes: Attribute[];
}

export interface Order {
  id: number;
  /** Order number behind the name `#<number>` (starts at 1001). */
  number: number;
  email: string | null;
  phone: string | null;
  customerId: number | null;
  lines: OrderLine[];
  shippingAddress: Address | null;
  billingAddress: Address | null;
  note: string | null;
  tags: string[];
  customAttributes: Attribute[];
  financialStatus: 'PENDING' | 'PAID';
  sourceName: string;
  currency: string;
  draftOrderId: number | null;
  createdAt: number;
  updatedAt: number;
}

/** REST-style topic names, as in the X-Shopify-Topic header. */
export const WEBHOOK_TOPICS = [
  'draft_orders/create',
  'draft_orders/update',
  'draft_orders/delete',
  'orders/create',
  'products/create',
  'products/update',
  'products/delete',
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export function isWebhookTopic(value: string): value is WebhookTopic {
  return (WEBHOOK_TOPICS as readonly string[]).includes(value);
}

/** GraphQL enum DRAFT_ORDERS_CREATE ⇄ REST topic draft_orders/create. */
export function topicFromEnum(value: string): string {
  const cut = value.lastIndexOf('_');
  return `${value.slice(0, cut).toLowerCase()}/${value.slice(cut + 1).toLowerCase()}`;
}
export function topicToEnum(topic: string): string {
  return topic.replace('/', '_').toUpperCase();
}

export interface WebhookSubscription {
  id: number;
  topic: WebhookTopic;
  uri: string;
  apiVersion: string;
  /** Top-level or dotted (`line_items.sku`) payload fields; empty = the whole payload. */
  includeFields: string[];
  /** Sent as X-Shopify-Name. */
  name: string | null;
  /** Only the empty filter is modelled; Shopify tells `""` and null apart in its answers. */
  filter: '' | null;
  /** API-created subscriptions are removed after persistent delivery failure, as Shopify does. */
  createdViaApi: boolean;
  createdAt: number;
  updatedAt: number;
}
