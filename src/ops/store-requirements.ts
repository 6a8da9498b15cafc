// What each configured store must grant and be subscribed to, from the roles its connections
// give it (pure). A destination feeds drafts (and orders, with the order trigger) and product
// changes; a source receives the copies and feeds product changes (mapping freshness).
import type { AppConfig, StoreConfig } from '../shared/config/index.js';

export type StoreRole = 'source' | 'destination';

/** Webhook topics as the Admin API names them (WebhookSubscriptionTopic). */
export type SubscriptionTopic =
  | 'DRAFT_ORDERS_CREATE'
  | 'DRAFT_ORDERS_UPDATE'
  | 'DRAFT_ORDERS_DELETE'
  | 'ORDERS_CREATE'
  | 'PRODUCTS_CREATE'
  | 'PRODUCTS_UPDATE'
  | 'PRODUCTS_DELETE';

export interface StoreRequirements {
  readonly shop: string;
  readonly roles: readonly StoreRole[];
  /** Access scopes the token must have (a write scope also grants its read scope). */
  readonly scopes: readonly string[];
  /** Topics that must be subscribed once to our callback. */
  readonly topics: readonly SubscriptionTopic[];
}

const PRODUCT_TOPICS: readonly SubscriptionTopic[] = ['PRODUCTS_CREATE', 'PRODUCTS_UPDATE', 'PRODUCTS_DELETE'];
const DRAFT_TOPICS: readonly SubscriptionTopic[] = ['DRAFT_ORDERS_CREATE', 'DRAFT_ORDERS_UPDATE', 'DRAFT_ORDERS_DELETE'];

export function requirementsOf(config: AppConfig, store: StoreConfig): StoreRequirements {
  const asDestination = config.connections.filter((c) => c.destinationShop === store.shop);
  const asSource = config.connections.filter((c) => c.sourceShop === store.shop);
  const roles: StoreRole[] = [];
  const scopes = new Set<string>();
  const topics = new Set<SubscriptionTopic>();
  if (asDestination.length > 0) {
    roles.push('destination');
    for (const scope of ['read_draft_orders', 'read_products']) scopes.add(scope);
    for (const topic of [...DRAFT_TOPICS, ...PRODUCT_TOPICS]) topics.add(topic);
    if (asDestination.some((c) => c.orderTrigger)) {
      scopes.add('read_orders');
      topics.add('ORDERS_CREATE');
    }
  }
  if (asSource.length > 0) {
    roles.push('source');
    // read_customers: copies are linked to the source store's customer with the same email.
    for (const scope of ['write_draft_orders', 'read_products', 'read_customers']) scopes.add(scope);
    for (const topic of PRODUCT_TOPICS) topics.add(topic);
  }
  return { shop: store.shop, roles, scopes: [...scopes].sort(), topics: [...topics] };
}

/** The required scopes the granted ones lack; `write_x` counts as `read_x` too. */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  const has = new Set(granted);
  for (const scope of granted) if (scope.startsWith('write_')) has.add(`read_${scope.slice('write_'.length)}`);
  return required.filter((scope) => !has.has(scope));
}
