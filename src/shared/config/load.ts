// Reads the configuration file (YAML or JSON), validates it and resolves secrets from the
// environment. Every problem found is reported at once, as `config: <field path>: <problem>`.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { formatIssues } from '../../domain/validation.js';
import { ConfigError } from './errors.js';
import { configFileSchema, type ConfigFile } from './schema.js';
import type { AppConfig, ConnectionConfig, StoreConfig } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Environment variable naming the config file when no path is passed. */
export const CONFIG_PATH_ENV = 'DOS_CONFIG';

/** `env` holds the secrets the file names (the entry point's environment). */
export function loadConfig(path: string | undefined, env: Env): AppConfig {
  const file = path ?? env[CONFIG_PATH_ENV];
  if (file === undefined || file === '') {
    throw new ConfigError([`no configuration file: pass a path or set ${CONFIG_PATH_ENV}`]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([`cannot read ${file}: ${code}`]);
  }
  return parseConfigText(text, env, file.endsWith('.json') ? 'json' : 'yaml', file);
}

export function parseConfigText(text: string, env: Env, format: 'yaml' | 'json', name = 'configuration'): AppConfig {
  let raw: unknown;
  try {
    // YAML 1.2 is a superset of JSON, but JSON.parse gives the clearer error for .json files.
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError([`${name}: invalid ${format.toUpperCase()}: ${message ?? ''}`]);
  }
  return resolveConfig(raw, env);
}

/** Validates an already parsed configuration object and resolves its secrets. */
export function resolveConfig(raw: unknown, env: Env): AppConfig {
  const parsed = configFileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues));
  const problems = [...crossCheck(parsed.data)];
  const stores = parsed.data.stores.map((store, index): StoreConfig => {
    const token = readSecret(env, store.adminTokenEnv, `stores[${index}].adminTokenEnv`, problems);
    const secrets = store.webhookSecretEnvs.map((name, j) =>
      readSecret(env, name, `stores[${index}].webhookSecretEnvs[${j}]`, problems),
    );
    return {
      shop: store.shop,
      adminApiToken: token,
      webhookSecrets: secrets,
      adminApiBaseUrl: (store.adminApiUrl ?? `https://${store.shop}`).replace(/\/+$/, ''),
      apiVersion: store.apiVersion,
    };
  });
  if (problems.length > 0) throw new ConfigError(problems);
  const connections = parsed.data.connections.map(
    (c): ConnectionConfig => ({
      id: c.id,
      sourceShop: c.source,
      destinationShop: c.destination,
      draftOrderSync: c.draftOrderSync,
      orderTrigger: c.orderTrigger,
      sendInvoice: c.sendInvoice,
      originTag: c.originTag,
      variantMatch: c.variantMatch,
      unmapped: c.unmapped,
      prices: c.prices,
      onCompleted: c.onCompleted,
      onSourceEdited: c.onSourceEdited,
    }),
  );
  const ingest = {
    publicUrl: parsed.data.ingest.publicUrl?.replace(/\/+$/, '') ?? null,
    webhookApiVersion: parsed.data.ingest.webhookApiVersion ?? null,
  };
  return { ingest, stores, connections };
}

function readSecret(env: Env, name: string, field: string, problems: string[]): string {
  const value = env[name];
  if (value === undefined || value === '') {
    problems.push(`${field}: environment variable ${name} is not set`);
    return '';
  }
  return value;
}

/** Rules that span entries: unique shops and ids, known shops, one connection per destination. */
function* crossCheck(file: ConfigFile): Generator<string> {
  const shops = new Set<string>();
  for (const [i, store] of file.stores.entries()) {
    if (shops.has(store.shop)) yield `stores[${i}].shop: ${store.shop} is listed twice`;
    shops.add(store.shop);
  }
  const ids = new Set<string>();
  const destinations = new Map<string, string>();
  for (const [i, c] of file.connections.entries()) {
    if (ids.has(c.id)) yield `connections[${i}].id: ${c.id} is used twice`;
    ids.add(c.id);
    if (!shops.has(c.source)) yield `connections[${i}].source: ${c.source} is not in stores`;
    if (!shops.has(c.destination)) yield `connections[${i}].destination: ${c.destination} is not in stores`;
    if (c.source === c.destination) yield `connections[${i}].destination: must differ from the source`;
    const other = destinations.get(c.destination);
    // Record keys are {destinationShop}/{kind}/{id}: a destination feeding two sources would collide.
    if (other !== undefined) {
      yield `connections[${i}].destination: ${c.destination} is already the destination of connection ${other}`;
    } else {
      destinations.set(c.destination, c.id);
    }
  }
}
