// Numeric resource ids in Shopify's range (13 digits), unique across every store of the process
// so an id from one store can never accidentally resolve in another.
let next = 1_000_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;

export function nextId(): number {
  next += 1 + Math.floor(Math.random() * 7);
  return next;
}

export type GidType =
  | 'DraftOrder'
  | 'DraftOrderLineItem'
  | 'Product'
  | 'ProductVariant'
  | 'ProductOption'
  | 'ProductOptionValue'
  | 'Customer'
  | 'Order'
  | 'LineItem'
  | 'Shop'
  | 'AppInstallation'
  | 'WebhookSubscription'
  | 'MailingAddress';

export function gid(type: GidType, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

export interface ParsedGid {
  type: string;
  id: number;
}

/** Parses `gid://shopify/Type/123` (query strings allowed, as Shopify does); undefined if malformed. */
export function parseGid(value: string): ParsedGid | undefined {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(value);
  if (!match?.[1] || !match[2]) return undefined;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { type: match[1], id } : undefined;
}
