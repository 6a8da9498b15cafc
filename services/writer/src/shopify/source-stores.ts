// One paced source-store client per configured store: each store has its own API budget,
// shared by every concurrent request of the process.
import type { StoreConfig } from '../../../../src/shared/config/types.js';
import { systemClock, type Clock } from '../../../../src/shared/clock.js';
import { Pacer, type PacerHooks } from '../../../../src/shopify/pacer.js';
import { PacedAdminClient, type AdminCallHooks, type AdminGraphql } from '../../../../src/shopify/admin-client.js';
import { SourceStore } from './source-store.js';

export interface SourceStoresOptions {
  readonly clock?: Clock;
  readonly timeoutMs?: number;
  readonly pacerHooks?: (shop: string) => PacerHooks;
  readonly callHooks?: (shop: string) => AdminCallHooks;
  /** Wraps each store's paced client (fault injection in crash tests). */
  readonly wrap?: (shop: string, api: AdminGraphql) => AdminGraphql;
}

export function createSourceStores(stores: readonly StoreConfig[], options: SourceStoresOptions = {}): Map<string, SourceStore> {
  return new Map([...createPacedClients(stores, options)].map(([shop, client]) => [shop, new SourceStore(client)]));
}

/** A paced Admin API client per store, each with its own budget. */
export function createPacedClients(stores: readonly StoreConfig[], options: SourceStoresOptions = {}): Map<string, AdminGraphql> {
  const out = new Map<string, AdminGraphql>();
  for (const store of stores) {
    const pacer = new Pacer({ clock: options.clock ?? systemClock, hooks: options.pacerHooks?.(store.shop) ?? {} });
    const client = new PacedAdminClient(
      {
        shop: store.shop,
        accessToken: store.adminApiToken,
        adminApiBaseUrl: store.adminApiBaseUrl,
        apiVersion: store.apiVersion,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      },
      pacer,
      options.callHooks?.(store.shop) ?? {},
    );
    out.set(store.shop, options.wrap?.(store.shop, client) ?? client);
  }
  return out;
}
