// reconcile: catches what webhooks missed. For each connection (or one destination shop):
// - drafts updated since the last watermark whose version the writer has not applied
//   (compared with its link `ver`) are fed to the raw topic like a backfill;
// - drafts the writer holds a live link for but which no longer exist in the destination
//   (deleted without a webhook) get a delete envelope.
// The watermark (Redis, per shop) advances to the run's start only after everything was fed;
// each run looks back `overlap` before it, for search-index lag and clock skew.
import { keyOf } from '../domain/keys.js';
import type { AppConfig, ConnectionConfig, StoreConfig } from '../shared/config/index.js';
import type { GraphqlRequest } from '../shared/graphql-request.js';
import { isNewer } from '../domain/versions.js';
import { LinkStore } from '../links/link-store.js';
import { destinationOf, requesterFor } from './backfill.js';
import type { Infra } from '../shared/infra.js';
import { describeListing, existingDrafts, listRecords, type DestinationRecord, type ListOptions } from './destination.js';
import { draftDeleteEnvelope, recordEnvelope } from './feed.js';
import { silentProgress, type Progress } from './progress.js';

export interface ReconcileOptions {
  readonly shop?: string;
  /** Look at drafts updated since this instant instead of the watermark. */
  readonly sinceMs?: number;
  /** How far before the watermark each run looks again; default 5 minutes. */
  readonly overlapMs?: number;
  /** Records per updated_at window before it is split (default DEFAULT_WINDOW_RECORDS). */
  readonly windowRecords?: number;
  readonly requester?: (store: StoreConfig) => GraphqlRequest;
  readonly now?: () => number;
}

export interface ReconcileResult {
  readonly shop: string;
  readonly connectionId: string;
  /** Lower bound of updatedAt looked at; null = all drafts (first run). */
  readonly since: string | null;
  readonly examined: number;
  /** Drafts whose newest version was not applied, fed again. */
  readonly fedUpdates: number;
  /** Linked drafts gone from the destination, fed as deletes. */
  readonly fedDeletes: number;
  readonly watermark: string;
}

const PUBLISH_TIMEOUT_MS = 30_000;
const DEFAULT_OVERLAP_MS = 5 * 60_000;

export function watermarkKey(opsPrefix: string, shop: string): string {
  return `${opsPrefix}reconcile:watermark:${shop}`;
}

export async function runReconcile(infra: Infra, config: AppConfig, opts: ReconcileOptions = {}, progress: Progress = silentProgress): Promise<ReconcileResult[]> {
  const connections = opts.shop ? [destinationOf(config, opts.shop).connection] : config.connections.filter((c) => c.draftOrderSync);
  const results: ReconcileResult[] = [];
  for (const connection of connections) {
    progress.start(null, `reconcile ${connection.destinationShop}`);
    try {
      results.push(await reconcileConnection(infra, config, connection, opts, progress));
    } finally {
      progress.stop();
    }
  }
  return results;
}

async function reconcileConnection(infra: Infra, config: AppConfig, connection: ConnectionConfig, opts: ReconcileOptions, progress: Progress): Promise<ReconcileResult> {
  const now = opts.now ?? Date.now;
  const runStart = now();
  const { store } = destinationOf(config, connection.destinationShop);
  const shop = store.shop;
  const redis = infra.redis();
  const links = new LinkStore(redis, { prefix: infra.names.writerPrefix });
  const publisher = await infra.rawPublisher();
  const key = watermarkKey(infra.names.opsPrefix, shop);
  const stored = await redis.get(key);
  const sinceMs = opts.sinceMs ?? (stored === null ? undefined : Number(stored) - (opts.overlapMs ?? DEFAULT_OVERLAP_MS));

  const request = requesterFor(store, 'OpsDraftOrders', opts.requester);
  let examined = 0;
  let fedUpdates = 0;
  const sends: Promise<void>[] = [];
  let batch: DestinationRecord[] = [];
  const flush = async (): Promise<void> => {
    const linkOf = await links.getMany(batch.map((r) => keyOf({ shop, kind: 'draft', id: r.id, name: null })));
    for (const record of batch) {
      const link = linkOf.get(keyOf({ shop, kind: 'draft', id: record.id, name: null }));
      if (!isNewer(record.updatedAt, link?.appliedVersion ?? null)) continue;
      sends.push(publisher.publish(recordEnvelope(shop, record, 'reconcile', store.apiVersion), PUBLISH_TIMEOUT_MS));
      fedUpdates++;
    }
    batch = [];
    await Promise.all(sends.splice(0));
  };
  const listOptions: ListOptions = {
    ...(sinceMs === undefined ? {} : { sinceMs }),
    ...(opts.windowRecords === undefined ? {} : { windowRecords: opts.windowRecords }),
    now: () => runStart,
    onPage: (at) => {
      progress.setTotal(at.listed);
      progress.update(examined, `${describeListing(at)}; fed ${fedUpdates}`);
    },
  };
  for await (const record of listRecords(request, 'draft', listOptions)) {
    examined++;
    batch.push(record);
    if (batch.length >= 100) await flush();
  }
  await flush();

  const fedDeletes = await feedVanished(infra, shop, store.apiVersion, requesterFor(store, 'OpsDraftOrdersExist', opts.requester), now);
  await redis.set(key, String(runStart));
  return {
    shop,
    connectionId: connection.id,
    since: sinceMs === undefined ? null : new Date(sinceMs).toISOString(),
    examined,
    fedUpdates,
    fedDeletes,
    watermark: new Date(runStart).toISOString(),
  };
}

/** Live links of the shop's drafts whose draft is gone → delete envelopes. */
async function feedVanished(infra: Infra, shop: string, apiVersion: string, request: GraphqlRequest, now: () => number): Promise<number> {
  const redis = infra.redis();
  const links = new LinkStore(redis, { prefix: infra.names.writerPrefix });
  const keyPrefix = `${shop}/draft/`;
  const publisher = await infra.rawPublisher();
  let fed = 0;
  for await (const linkOf of links.scan(keyPrefix)) {
    // Tombstones and completed copies need nothing; a link without a copy has nothing to delete.
    const live = [...linkOf]
      .filter(([, link]) => link.status === 'OPEN' && link.sourceDraftId !== null)
      .map(([key]) => key.slice(keyPrefix.length));
    if (live.length === 0) continue;
    const existing = await existingDrafts(request, live);
    const gone = live.filter((id) => !existing.has(id));
    await Promise.all(gone.map((id) => publisher.publish(draftDeleteEnvelope(shop, id, 'reconcile', apiVersion, now()), PUBLISH_TIMEOUT_MS)));
    fed += gone.length;
  }
  return fed;
}
