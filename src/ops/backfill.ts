// backfill: the destination's existing drafts (and orders, when the connection turns orders
// into drafts) listed through the Admin API and put on the raw topic like webhooks; the live
// pipeline syncs them, idempotently by version.
import type { OriginKind } from '../domain/model.js';
import type { GraphqlRequest } from '../shared/graphql-request.js';
import { adminRequester } from '../shopify/requester.js';
import { findConnectionByDestination, findStore, type AppConfig, type ConnectionConfig, type StoreConfig } from '../shared/config/index.js';
import type { Infra } from '../shared/infra.js';
import { describeListing, listRecords, type ListingProgress } from './destination.js';
import { recordEnvelope } from './feed.js';
import { silentProgress, type Progress } from './progress.js';

export interface BackfillOptions {
  readonly shop: string;
  readonly sinceMs?: number;
  /** Records per updated_at window before it is split (default DEFAULT_WINDOW_RECORDS). */
  readonly windowRecords?: number;
  /** The Admin API of a store (tests); default the writer's paced client. */
  readonly requester?: (store: StoreConfig) => GraphqlRequest;
  /** Where the listing's bounded windows end (then one open window follows); default Date.now. */
  readonly now?: () => number;
}

export interface BackfillSummary {
  readonly shop: string;
  readonly connectionId: string;
  readonly drafts: number;
  readonly orders: number;
  readonly seconds: number;
}

const PUBLISH_TIMEOUT_MS = 30_000;

export function destinationOf(config: AppConfig, shop: string): { connection: ConnectionConfig; store: StoreConfig } {
  const connection = findConnectionByDestination(config, shop);
  if (!connection) throw new Error(`no connection has ${shop} as its destination store`);
  const store = findStore(config, connection.destinationShop);
  if (!store) throw new Error(`store ${connection.destinationShop} is not configured`);
  return { connection, store };
}

export function requesterFor(store: StoreConfig, operation: string, custom?: (store: StoreConfig) => GraphqlRequest): GraphqlRequest {
  return custom ? custom(store) : adminRequester(store, operation);
}

export async function runBackfill(infra: Infra, config: AppConfig, opts: BackfillOptions, progress: Progress = silentProgress): Promise<BackfillSummary> {
  const started = performance.now();
  const { connection, store } = destinationOf(config, opts.shop);
  const publisher = await infra.rawPublisher();
  const kinds: OriginKind[] = connection.orderTrigger ? ['draft', 'order'] : ['draft'];
  const counts: Record<OriginKind, number> = { draft: 0, order: 0 };
  let listed = 0;
  let listing = '';
  const report = (): void => progress.update(counts.draft + counts.order, `${listing}published ${counts.draft} drafts, ${counts.order} orders`);
  progress.start(null, `backfill ${store.shop}`);
  try {
    for (const kind of kinds) {
      const request = requesterFor(store, kind === 'draft' ? 'OpsDraftOrders' : 'OpsOrders', opts.requester);
      let inFlight: Promise<void>[] = [];
      const pageSeen = (at: ListingProgress): void => {
        listing = `${kind}s ${describeListing(at)}; `;
        progress.setTotal(listed + at.listed);
        report();
      };
      const listOptions = {
        ...(opts.sinceMs !== undefined ? { sinceMs: opts.sinceMs } : {}),
        ...(opts.windowRecords !== undefined ? { windowRecords: opts.windowRecords } : {}),
        ...(opts.now !== undefined ? { now: opts.now } : {}),
        onPage: pageSeen,
      };
      for await (const record of listRecords(request, kind, listOptions)) {
        inFlight.push(
          publisher.publish(recordEnvelope(store.shop, record, 'backfill', store.apiVersion), PUBLISH_TIMEOUT_MS).then(() => {
            counts[kind]++;
            report();
          }),
        );
        // Bounded: the listing waits for Kafka rather than piling up envelopes.
        if (inFlight.length >= 200) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
      await Promise.all(inFlight);
      listed = counts.draft + counts.order;
    }
  } finally {
    progress.stop();
  }
  return { shop: store.shop, connectionId: connection.id, drafts: counts.draft, orders: counts.order, seconds: Math.round((performance.now() - started) / 10) / 100 };
}
