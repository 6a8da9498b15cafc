// Lookups over a loaded configuration.
import type { AppConfig, ConnectionConfig, StoreConfig } from './types.js';

export function findStore(config: AppConfig, shop: string): StoreConfig | undefined {
  const wanted = shop.toLowerCase();
  return config.stores.find((store) => store.shop === wanted);
}

/** The connection that syncs records of this destination shop (at most one, by validation). */
export function findConnectionByDestination(config: AppConfig, shop: string): ConnectionConfig | undefined {
  const wanted = shop.toLowerCase();
  return config.connections.find((c) => c.destinationShop === wanted);
}

export function findConnectionById(config: AppConfig, id: string): ConnectionConfig | undefined {
  return config.connections.find((c) => c.id === id);
}

/** Connections in which the shop takes part, on either side (product webhooks update these). */
export function connectionsOfShop(config: AppConfig, shop: string): ConnectionConfig[] {
  const wanted = shop.toLowerCase();
  return config.connections.filter((c) => c.sourceShop === wanted || c.destinationShop === wanted);
}

/** Webhook secrets to try for a shop; empty for an unknown shop (which ingest rejects). */
export function webhookSecretsFor(config: AppConfig, shop: string): readonly string[] {
  return findStore(config, shop)?.webhookSecrets ?? [];
}

/** The path ingest serves webhooks on; Shopify's subscriptions point at `{publicUrl}{WEBHOOK_PATH}`. */
export const WEBHOOK_PATH = '/webhooks/shopify';

/** The callback URL of our webhook subscriptions; null when `ingest.publicUrl` is not configured. */
export function webhookCallbackUrl(config: AppConfig): string | null {
  return config.ingest.publicUrl === null ? null : `${config.ingest.publicUrl}${WEBHOOK_PATH}`;
}

/** The API version a store's webhook subscriptions should have. */
export function webhookApiVersionFor(config: AppConfig, store: StoreConfig): string {
  return config.ingest.webhookApiVersion ?? store.apiVersion;
}

/** The Admin GraphQL endpoint of a store, honouring its base URL override. */
export function adminGraphqlUrl(store: StoreConfig): string {
  return `${store.adminApiBaseUrl}/admin/api/${store.apiVersion}/graphql.json`;
}
