// `draft-sync mappings …`: build a connection's product mappings from both stores' catalogs,
// and inspect or change single mappings (src/ops/mappings.ts; Redis keys: src/variant-mappings/keys.ts).
import type { Command } from 'commander';
import { buildMappings, connectionOf, formatBuild, variantId } from '../../src/ops/mappings.js';
import type { AppConfig } from '../../src/shared/config/index.js';
import { RedisMappingStore } from '../../src/variant-mappings/index.js';
import type { CliSession } from '../session.js';

interface GroupOptions {
  readonly config?: string;
  readonly connection: string;
}

export function registerMappingCommands(program: Command, session: CliSession): void {
  const { io } = session;
  const withStore = <T>(configPath: string | undefined, run: (config: AppConfig, store: RedisMappingStore) => Promise<T>): Promise<T> =>
    session.withOps(configPath, ['redis'], (infra, config) => run(config, new RedisMappingStore(infra.redis(), { prefix: infra.names.mappingPrefix })));

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
      await withStore(config, async (cfg, store) => {
        const built = await buildMappings(cfg, store, connection, { onProgress: (line) => io.err(`${line}\n`) });
        io.out(options.json === true ? `${JSON.stringify({ connection: built.connection.id, ...built.report, mappingsStored: built.stored })}\n` : formatBuild(built));
      });
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
