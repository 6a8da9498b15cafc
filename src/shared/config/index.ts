// Configuration: the file (stores, connections), secrets from env, infrastructure from env.
export { ConfigError } from './errors.js';
export { CONFIG_PATH_ENV, loadConfig, parseConfigText, resolveConfig, type Env } from './load.js';
export { INFRA_ENV, loadInfraSettings, type InfraNeed, type InfraSettings } from './infra.js';
export {
  adminGraphqlUrl,
  connectionsOfShop,
  findConnectionById,
  findConnectionByDestination,
  findStore,
  webhookSecretsFor,
} from './lookup.js';
export { DEFAULT_API_VERSION, DEFAULT_ORIGIN_TAG } from './schema.js';
export type { AppConfig, ConnectionConfig, StoreConfig } from './types.js';
