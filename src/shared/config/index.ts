// Configuration: the file (stores, connections) with secrets from env; every other setting from env (settings.ts).
export { ConfigError } from './errors.js';
export { CONFIG_PATH_ENV, loadConfig, parseConfigText, resolveConfig, type Env } from './load.js';
export { ALL_INFRA, type InfraNeed, type InfraSettings } from './infra.js';
export { DEFAULT_MAPPING_PREFIX, DEFAULT_WRITER_PREFIX, resolveNames, type Names } from './names.js';
export { loadSettings, type IngestSettings, type NamedToken, type MapperSettings, type Settings, type StatusSettings, type TracingSettings, type WriterSettings } from './settings.js';
export {
  adminGraphqlUrl,
  connectionsOfShop,
  findConnectionById,
  findConnectionByDestination,
  findStore,
  webhookApiVersionFor,
  webhookCallbackUrl,
  webhookSecretsFor,
  WEBHOOK_PATH,
} from './lookup.js';
export { DEFAULT_API_VERSION, DEFAULT_ORIGIN_TAG } from './schema.js';
export type { AppConfig, ConnectionConfig, IngestConfig, StoreConfig } from './types.js';
