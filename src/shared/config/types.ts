// The validated, resolved configuration services use (secrets read from the environment).
import type { ConnectionSettings } from '../../domain/connection.js';

export interface StoreConfig {
  readonly shop: string;
  readonly adminApiToken: string;
  /** Every currently valid webhook secret; more than one while rotating. */
  readonly webhookSecrets: readonly string[];
  /** Admin API base URL: `https://{shop}` unless overridden (simulator, proxy). No trailing slash. */
  readonly adminApiBaseUrl: string;
  readonly apiVersion: string;
}

export type ConnectionConfig = ConnectionSettings;

export interface IngestConfig {
  /** Where Shopify reaches ingest (`https://…`), without the webhook path; null when not configured. */
  readonly publicUrl: string | null;
  /** API version of webhook subscriptions; null = each store's apiVersion. */
  readonly webhookApiVersion: string | null;
}

export interface AppConfig {
  readonly ingest: IngestConfig;
  readonly stores: readonly StoreConfig[];
  readonly connections: readonly ConnectionConfig[];
}
