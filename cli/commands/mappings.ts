// `draft-sync mappings …`: build a connection's product mappings from both stores' catalogs,
// and inspect or change single mappings. Redis keys: see src/mapping/keys.ts.
import type { Command } from 'commander';
import { systemClock } from '../../src/shared/clock.js';
import { Pacer } from '../../src/shopify/pacer.js';
import { PacedAdminClient } from '../../src/shopify/admin-client.js';
import { describeFailure } from '../../src/shopify/call-result.js';
import {
  DEFAULT_MAPPING_PREFIX,
  rebuildConnectionMappings,
  RedisMappingStore,
  type GraphqlRequest,
  type MappingReport,
  type StoreSide,
  type VariantFetchProgress,
} from '../../src/variant-mappings/index.js';
import { findConnectionById, findStore, type AppConfig, type ConnectionConfig, type StoreConfig } from '../../src/shared/config/index.js';
import { createRedis, type RedisClient } from '../../src/shared/redis.js';
import { cliContext } from '../context.js';

/** Where output goes; commands write results to `out` and progress to `err`. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Mapping keys' prefix; the mapper reads the same env var. */
export const REDIS_KEY_PREFIX_ENV = 'REDIS_KEY_PREFIX';

export function connectionOf(config: AppConfig, id: string): ConnectionConfig {
  const connection = findConnectionById(config, id);
  if (!connection) throw new Error(`no connection "${id}" in the configuration (known: ${config.connections.map((c) => c.id).join(', ')})`);
  return connection;
}

function storeOf(config: AppConfig, shop: string): StoreConfig {
  const store = findStore(config, shop);
  if (!store) throw new Error(`store ${shop} is not configured`);
  return store;
}

const TRANSIENT_RETRIES = 5;

/**
 * The Admin GraphQL requester for one store: the writer's paced client (throttle-aware:
 * it waits out THROTTLED replies and paces from throttleStatus), plus retries of transient
 * failures — reads are safe to resend.
 */
export function adminRequester(
  store: StoreConfig,
  sleep = (ms: number): Promise<void> => systemClock.sleep(ms),
  /** Names the query for the client's learned cost per operation. */
  operation = 'MappingProductVariants',
): GraphqlRequest {
  const client = new PacedAdminClient(
    { shop: store.shop, accessToken: store.adminApiToken, apiVersion: store.apiVersion, adminApiBaseUrl: store.adminApiBaseUrl },
    new Pacer({ clock: systemClock }),
  );
  return async (query, variables) => {
    for (let attempt = 0; ; attempt++) {
      const result = await client.call<unknown>(operation, query, variables);
      if (result.kind === 'ok') return result.data;
      if ((result.kind === 'transient' || result.kind === 'throttled') && attempt < TRANSIENT_RETRIES) {
        await sleep(250 * 2 ** attempt);
        continue;
      }
      throw new Error(`${store.shop}: ${describeFailure(result)}`);
    }
  };
}

export interface BuildOptions {
  readonly json?: boolean;
  /** Requesters per shop (tests); default the Admin API through `adminRequester`. */
  readonly requester?: (store: StoreConfig) => GraphqlRequest;
}

/** Reads both stores' variants, matches them, replaces the connection's mappings atomically. */
export async function buildMappings(config: AppConfig, store: RedisMappingStore, connectionId: string, io: Io = stdio, opts: BuildOptions = {}): Promise<MappingReport> {
  const connection = connectionOf(config, connectionId);
  const requester = opts.requester ?? ((s: StoreConfig) => adminRequester(s));
  const shops: Record<StoreSide, string> = { source: connection.sourceShop, destination: connection.destinationShop };
  const onProgress = (side: StoreSide, p: VariantFetchProgress): void =>
    io.err(`[mappings build] ${side} ${shops[side]}: page ${p.pages}, ${p.variants} variants${p.done ? ' (done)' : ''}\n`);
  const result = await rebuildConnectionMappings({
    connection,
    source: requester(storeOf(config, connection.sourceShop)),
    destination: requester(storeOf(config, connection.destinationShop)),
    store,
    onProgress,
  });
  const { report } = result;
  const total = await store.count(connection.id);
  if (opts.json) {
    io.out(`${JSON.stringify({ connection: connection.id, ...report, mappingsStored: total })}\n`);
    return report;
  }
  const lines = [
    `connection ${connection.id}: ${connection.destinationShop} → ${connection.sourceShop}, matched by ${report.matchBy}`,
    `mapped:    ${report.mapped}`,
    `ambiguous: ${report.ambiguous.length} key(s), not mapped (never guessed)`,
    ...report.ambiguous.map((a) => `  ${printableKey(a.key)}: destination [${a.destination.join(', ')}] ↔ source [${a.source.join(', ')}]`),
    `unmatched: ${report.unmatched.length} destination variant(s)`,
    ...(report.unmatched.length > 0 ? [`  ${report.unmatched.join(', ')}`] : []),
    `stored:    ${total} mapping(s) (built + hand-set), replaced atomically`,
  ];
  io.out(`${lines.join('\n')}\n`);
  return report;
}

/** handle+options keys join their parts with a unit separator: show them readably. */
function printableKey(key: string): string {
  return key.split('\u001f').join(' / ');
}

function withStore<T>(configPath: string | undefined, run: (config: AppConfig, store: RedisMappingStore) => Promise<T>): Promise<T> {
  const ctx = cliContext(configPath, ['redis']);
  const redis: RedisClient = createRedis(ctx.infra.redisUrl);
  const store = new RedisMappingStore(redis, { prefix: process.env[REDIS_KEY_PREFIX_ENV] ?? DEFAULT_MAPPING_PREFIX });
  return run(ctx.config, store).finally(() => redis.disconnect());
}

interface GroupOptions {
  readonly config?: string;
  readonly connection: string;
}

export function registerMappingCommands(program: Command, io: Io = stdio): void {
  const group = program
    .command('mappings')
    .description('product mappings (destination variant → source variant) per connection, in Redis')
    .option('--config <path>', 'configuration file (default: $DOS_CONFIG)');

  const command = (name: string, description: string): Command =>
    group.command(name).description(description).requiredOption('--connection <id>', 'connection id from the configuration');
  const optsOf = (cmd: Command): GroupOptions => cmd.optsWithGlobals<GroupOptions>();

  command('build', "read both stores' variants (Admin API), match them per the connection's variantMatch, replace the mappings atomically")
    .option('--json', 'print the report as one JSON line')
    .action(async (options: { json?: boolean }, cmd: Command) => {
      const { config, connection } = optsOf(cmd);
      await withStore(config, (cfg, store) => buildMappings(cfg, store, connection, io, { json: options.json === true }));
    });

  command('set', 'map a destination variant to a source variant by hand (wins over built ones, survives rebuilds)')
    .argument('<destinationVariantId>', 'numeric id (or GID) of the destination variant')
    .argument('<sourceVariantId>', 'numeric id (or GID) of the source variant')
    .action(async (destination: string, source: string, _options: unknown, cmd: Command) => {
      const { config, connection } = optsOf(cmd);
      await withStore(config, async (cfg, store) => {
        connectionOf(cfg, connection);
        await store.set(connection, variantId(destination), variantId(source));
        io.out(`${variantId(destination)} → ${variantId(source)}\n`);
      });
    });

  command('get', 'show the source variant a destination variant maps to')
    .argument('<destinationVariantId>')
    .action(async (destination: string, _options: unknown, cmd: Command) => {
      const { config, connection } = optsOf(cmd);
      await withStore(config, async (cfg, store) => {
        connectionOf(cfg, connection);
        const source = await store.get(connection, variantId(destination));
        if (source === null) {
          io.err(`${variantId(destination)}: not mapped\n`);
          process.exitCode = 1;
          return;
        }
        io.out(`${variantId(destination)} → ${source}\n`);
      });
    });

  command('list', 'list the mappings ("destination source" per line)')
    .option('--manual', 'only the hand-set ones')
    .action(async (options: { manual?: boolean }, cmd: Command) => {
      const { config, connection } = optsOf(cmd);
      await withStore(config, async (cfg, store) => {
        connectionOf(cfg, connection);
        const entries: [string, string][] = [];
        for await (const entry of store.list(connection, { manualOnly: options.manual === true })) entries.push(entry);
        entries.sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
        io.out(entries.map(([d, s]) => `${d} ${s}\n`).join(''));
        io.err(`${entries.length} mapping(s)\n`);
      });
    });

  command('delete', 'remove a mapping (hand-set or built)')
    .argument('<destinationVariantId>')
    .action(async (destination: string, _options: unknown, cmd: Command) => {
      const { config, connection } = optsOf(cmd);
      await withStore(config, async (cfg, store) => {
        connectionOf(cfg, connection);
        const removed = await store.delete(connection, variantId(destination));
        io.out(removed ? `deleted ${variantId(destination)}\n` : `${variantId(destination)}: was not mapped\n`);
      });
    });

  command('unmapped', 'destination variants the mapper met without a mapping (since the last build)')
    .action(async (_options: unknown, cmd: Command) => {
      const { config, connection } = optsOf(cmd);
      await withStore(config, async (cfg, store) => {
        connectionOf(cfg, connection);
        const ids = await store.unmapped(connection);
        io.out(ids.map((id) => `${id}\n`).join(''));
        io.err(`${ids.length} unmapped variant(s)\n`);
      });
    });

  command('report', 'the report of the last build (mapped, ambiguous, unmatched)')
    .action(async (_options: unknown, cmd: Command) => {
      const { config, connection } = optsOf(cmd);
      await withStore(config, async (cfg, store) => {
        connectionOf(cfg, connection);
        const report = await store.report(connection);
        if (report === null) {
          io.err(`connection ${connection}: never built\n`);
          process.exitCode = 1;
          return;
        }
        io.out(`${JSON.stringify(report)}\n`);
      });
    });
}

/** Accepts `123` or `gid://shopify/ProductVariant/123`; the store keeps numeric ids. */
export function variantId(text: string): string {
  const id = /^(?:gid:\/\/shopify\/ProductVariant\/)?([1-9]\d*)$/.exec(text.trim())?.[1];
  if (id === undefined) throw new Error(`${text}: expected a variant id (digits or gid://shopify/ProductVariant/…)`);
  return id;
}
