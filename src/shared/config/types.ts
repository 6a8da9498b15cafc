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

export interface AppConfig {
  readonly stores: readonly StoreConfig[];
  readonly connections: readonly ConnectionConfig[];
}
