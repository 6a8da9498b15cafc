// Access scopes as Shopify grants them: a token holds the scopes it was given, and every
// `write_x` implies `read_x` (as @shopify/shopify-api's AuthScopes expands them).
import type { WebhookTopic } from '../store/model.js';

/** Everything the simulator's operations need: what a token gets unless told otherwise. */
export const DEFAULT_SCOPES: readonly string[] = ['read_customers', 'read_draft_orders', 'write_draft_orders', 'read_orders', 'read_products'];

/**
 * Scope a webhook topic needs (any one of them), from the WebhookSubscriptionTopic descriptions
 * of the 2026-10 schema ("Requires the `read_draft_orders` scope.").
 */
export const TOPIC_SCOPES: Record<WebhookTopic, readonly string[]> = {
  'draft_orders/create': ['read_draft_orders'],
  'draft_orders/update': ['read_draft_orders'],
  'draft_orders/delete': ['read_draft_orders'],
  'orders/create': ['read_orders', 'read_marketplace_orders'],
  'products/create': ['read_products'],
  'products/update': ['read_products'],
  'products/delete': ['read_products'],
};

function implied(scope: string): string | undefined {
  const match = /^(unauthenticated_)?write_(.+)$/.exec(scope);
  return match ? `${match[1] ?? ''}read_${match[2] ?? ''}` : undefined;
}

export class ScopeSet {
  /** As `currentAppInstallation.accessScopes` lists them: the granted ones, then implied reads. */
  readonly handles: readonly string[];
  private readonly set: ReadonlySet<string>;

  constructor(granted: readonly string[]) {
    const handles = [...new Set(granted)];
    for (const scope of granted) {
      const read = implied(scope);
      if (read !== undefined && !handles.includes(read)) handles.push(read);
    }
    this.handles = handles;
    this.set = new Set(handles);
  }

  has(scope: string): boolean {
    return this.set.has(scope);
  }

  /** True when the token holds at least one of `anyOf` (an empty list asks for nothing). */
  hasAny(anyOf: readonly string[]): boolean {
    return anyOf.length === 0 || anyOf.some((scope) => this.set.has(scope));
  }
}
