// What the resolvers of one Admin API request see: the store, the calling token's scopes and
// the shop's API limits, plus accumulators the request pipeline reads back afterwards.
import type { ScopeSet } from '../access/scopes.js';
import type { SearchWarning } from '../search/search-filter.js';
import type { Store } from '../store/store.js';
import type { SubscriptionPolicy } from '../store/subscriptions.js';
import type { Views } from './views.js';

export interface SearchReport {
  path: string[];
  query: string;
  warnings: SearchWarning[];
}

export interface RequestContext {
  store: Store;
  views: Views;
  apiVersion: string;
  /** Scopes of the request's access token. */
  scopes: ScopeSet;
  /** Objects a root connection pages through at most (null: no cap). */
  paginationLimit: number | null;
  /** How webhookSubscriptionCreate/Update check addresses and the subscription limit. */
  subscriptionPolicy: SubscriptionPolicy;
  /** Filled by list fields whose query had unknown search fields (→ extensions.search). */
  searchReports: SearchReport[];
  /** Points counted while resolving (→ actualQueryCost). */
  countedCost: number;
  /** Search index lag for draftOrders(query:) (fault injection). */
  searchLagMs: number;
}
