// The JSON of GET /api/status: the folded topics (state.ts) joined with what the poller last
// read from Kafka and Redis (lag, redrive marks, mappings). Pure.
import type { MappingReport } from '../../../src/variant-mappings/index.js';
import type { AppConfig } from '../../../src/shared/config/index.js';
import type { RedriveMark } from '../../../src/ops/dlq.js';
import type { StoreCheck } from '../../../src/ops/stores.js';
import type { GroupLag } from '../../../src/shared/kafka/lag.js';
import type { ConnectionEvents, DeadLetterRow, StatusState } from './state.js';

/** Unmapped variant ids shown per connection; the count covers all. */
const UNMAPPED_SHOWN = 100;

export interface ConnectionMappings {
  readonly report: MappingReport | null;
  readonly unmapped: readonly string[];
}

/** What the poller read last (Kafka admin and Redis), or its error. */
export interface Polled {
  /** ISO time of the last successful poll; null before the first. */
  readonly at: string | null;
  readonly error: string | null;
  readonly lag: { readonly mapper: GroupLag; readonly writer: GroupLag } | null;
  readonly redriven: Readonly<Record<string, RedriveMark>>;
  readonly mappings: ReadonlyMap<string, ConnectionMappings>;
  /** shop → ISO time of its last verified webhook (recorded by the mapper). */
  readonly lastWebhooks: Readonly<Record<string, string>>;
  /** Each store's last check against its Admin API (checked less often: Shopify's budget). */
  readonly stores: ReadonlyMap<string, { readonly at: string; readonly check: StoreCheck | null; readonly error: string | null }>;
}

export const NOTHING_POLLED: Polled = { at: null, error: null, lag: null, redriven: {}, mappings: new Map(), lastWebhooks: {}, stores: new Map() };

export interface StoreView {
  readonly shop: string;
  readonly roles: readonly string[];
  /** `unknown` until checked, or when the store could not be asked. */
  readonly token: 'ok' | 'refused' | 'unchecked' | 'unknown';
  readonly missingScopes: readonly string[];
  /** Webhook topics not subscribed right (see `draft-sync stores check`). */
  readonly subscriptionProblems: number;
  readonly problems: readonly string[];
  readonly checkedAt: string | null;
  readonly checkError: string | null;
  /** When it last sent a verified webhook; null: never (since the mapper started recording). */
  readonly lastWebhookAt: string | null;
}

export interface DeadLetterView extends DeadLetterRow {
  readonly redriven: RedriveMark | null;
}

export interface MappingView {
  readonly builtAt: string | null;
  readonly matchBy: string | null;
  readonly mapped: number;
  /** Destination variants with no match, and those whose match key is ambiguous. */
  readonly unmatched: number;
  readonly ambiguous: number;
  /** mapped / all destination variants of the last build; null before any build. */
  readonly coverage: number | null;
  /** Variants the mapper met without a mapping (waiting for one). */
  readonly unmappedCount: number;
  readonly unmapped: readonly string[];
}

export interface ConnectionView {
  readonly connectionId: string;
  readonly destinationShop: string | null;
  readonly sourceShop: string | null;
  /** False for a connection seen in events but no longer configured. */
  readonly configured: boolean;
  readonly events: ConnectionEvents;
  readonly deadLetters: { readonly pending: number; readonly recent: readonly DeadLetterView[] };
  readonly mapping: MappingView;
}

export interface StatusView {
  readonly generatedAt: string;
  readonly feed: { readonly eventsRead: number; readonly deadLetters: number; readonly caughtUp: boolean };
  readonly poll: { readonly at: string | null; readonly error: string | null };
  /** Consumer groups read every connection, so lag is per group (and partition), not per connection. */
  readonly lag: Polled['lag'];
  readonly connections: readonly ConnectionView[];
  readonly stores: readonly StoreView[];
  /** Letters whose key names no configured connection (e.g. unkeyable webhooks at ingest). */
  readonly unassignedDeadLetters: { readonly pending: number; readonly recent: readonly DeadLetterView[] };
}

export function buildView(config: AppConfig, state: StatusState, polled: Polled, caughtUp: boolean, now = new Date()): StatusView {
  const isDone = (id: string): boolean => polled.redriven[id] !== undefined;
  const letters = (connectionId: string | null): StatusView['unassignedDeadLetters'] => ({
    pending: state.pendingDeadLetters(connectionId, isDone),
    recent: state.deadLetters(connectionId).map((row) => ({ ...row, redriven: polled.redriven[row.id] ?? null })),
  });
  const configured = new Set(config.connections.map((c) => c.id));
  const connections: ConnectionView[] = [
    ...config.connections.map((c) => ({
      connectionId: c.id,
      destinationShop: c.destinationShop,
      sourceShop: c.sourceShop,
      configured: true,
      events: state.events(c.id),
      deadLetters: letters(c.id),
      mapping: mappingView(polled.mappings.get(c.id)),
    })),
    ...state
      .seenConnections()
      .filter((id) => !configured.has(id))
      .map((id) => ({
        connectionId: id,
        destinationShop: null,
        sourceShop: null,
        configured: false,
        events: state.events(id),
        deadLetters: letters(id),
        mapping: mappingView(undefined),
      })),
  ];
  return {
    generatedAt: now.toISOString(),
    feed: { eventsRead: state.totalEvents, deadLetters: state.totalDeadLetters, caughtUp },
    poll: { at: polled.at, error: polled.error },
    lag: polled.lag,
    connections,
    stores: config.stores.map((store) => storeView(store.shop, polled)),
    unassignedDeadLetters: letters(null),
  };
}

export function storeView(shop: string, polled: Polled): StoreView {
  const last = polled.stores.get(shop);
  const check = last?.check ?? null;
  return {
    shop,
    roles: check?.roles ?? [],
    token: check?.token ?? 'unknown',
    missingScopes: check?.scopes.missing ?? [],
    subscriptionProblems: check?.subscriptions?.topics.filter((t) => t.problems.length > 0).length ?? 0,
    problems: check?.problems ?? [],
    checkedAt: last?.at ?? null,
    checkError: last?.error ?? null,
    lastWebhookAt: polled.lastWebhooks[shop] ?? null,
  };
}

export function mappingView(m: ConnectionMappings | undefined): MappingView {
  const r = m?.report ?? null;
  const ambiguous = r ? r.ambiguous.reduce((n, a) => n + a.destination.length, 0) : 0;
  const unmatched = r ? r.unmatched.length : 0;
  const all = r ? r.mapped + unmatched + ambiguous : 0;
  const unmapped = m?.unmapped ?? [];
  return {
    builtAt: r?.builtAt ?? null,
    matchBy: r?.matchBy ?? null,
    mapped: r?.mapped ?? 0,
    unmatched,
    ambiguous,
    coverage: r ? (all === 0 ? 1 : r.mapped / all) : null,
    unmappedCount: unmapped.length,
    unmapped: unmapped.slice(0, UNMAPPED_SHOWN),
  };
}
