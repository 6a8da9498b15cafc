// Building a connection's product mappings from both stores' catalogs, and the report of it;
// the `mappings` commands and the demo use it.
import type { AppConfig, ConnectionConfig, StoreConfig } from '../shared/config/index.js';
import { findConnectionById, findStore } from '../shared/config/index.js';
import type { GraphqlRequest } from '../shared/graphql-request.js';
import { adminRequester } from '../shopify/requester.js';
import { rebuildConnectionMappings, type MappingReport, type RedisMappingStore, type StoreSide, type VariantFetchProgress } from '../variant-mappings/index.js';

export function connectionOf(config: AppConfig, id: string): ConnectionConfig {
  const connection = findConnectionById(config, id);
  if (!connection) throw new Error(`no connection "${id}" in the configuration (known: ${config.connections.map((c) => c.id).join(', ')})`);
  return connection;
}

export function storeOf(config: AppConfig, shop: string): StoreConfig {
  const store = findStore(config, shop);
  if (!store) throw new Error(`store ${shop} is not configured`);
  return store;
}

export interface BuildOptions {
  /** Requesters per shop (tests); default the Admin API through the paced client. */
  readonly requester?: (store: StoreConfig) => GraphqlRequest;
  readonly onProgress?: (line: string) => void;
}

export interface BuildResult {
  readonly connection: ConnectionConfig;
  readonly report: MappingReport;
  /** Mappings stored after the build (built + hand-set). */
  readonly stored: number;
}

/** Reads both stores' variants, matches them, replaces the connection's mappings atomically. */
export async function buildMappings(config: AppConfig, store: RedisMappingStore, connectionId: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const connection = connectionOf(config, connectionId);
  const requester = opts.requester ?? ((s: StoreConfig) => adminRequester(s, 'MappingProductVariants'));
  const shops: Record<StoreSide, string> = { source: connection.sourceShop, destination: connection.destinationShop };
  const onProgress = (side: StoreSide, p: VariantFetchProgress): void =>
    opts.onProgress?.(`[mappings build] ${side} ${shops[side]}: page ${p.pages}, ${p.variants} variants${p.done ? ' (done)' : ''}`);
  const { report } = await rebuildConnectionMappings({
    connection,
    source: requester(storeOf(config, connection.sourceShop)),
    destination: requester(storeOf(config, connection.destinationShop)),
    store,
    onProgress,
  });
  return { connection, report, stored: await store.count(connection.id) };
}

export function formatBuild({ connection, report, stored }: BuildResult): string {
  const lines = [
    `connection ${connection.id}: ${connection.destinationShop} → ${connection.sourceShop}, matched by ${report.matchBy}`,
    `mapped:    ${report.mapped}`,
    `ambiguous: ${report.ambiguous.length} key(s), not mapped (never guessed)`,
    ...report.ambiguous.map((a) => `  ${printableKey(a.key)}: destination [${a.destination.join(', ')}] ↔ source [${a.source.join(', ')}]`),
    `unmatched: ${report.unmatched.length} destination variant(s)`,
    ...(report.unmatched.length > 0 ? [`  ${report.unmatched.join(', ')}`] : []),
    `stored:    ${stored} mapping(s) (built + hand-set), replaced atomically`,
  ];
  return `${lines.join('\n')}\n`;
}

/** handle+options keys join their parts with a unit separator: show them readably. */
function printableKey(key: string): string {
  return key.split('\u001f').join(' / ');
}

/** Accepts `123` or `gid://shopify/ProductVariant/123`; the store keeps numeric ids. */
export function variantId(text: string): string {
  const id = /^(?:gid:\/\/shopify\/ProductVariant\/)?([1-9]\d*)$/.exec(text.trim())?.[1];
  if (id === undefined) throw new Error(`${text}: expected a variant id (digits or gid://shopify/ProductVariant/…)`);
  return id;
}
