// `draft-sync settings get|set|history`: live connection settings (src/ops/settings.ts).
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { readHistory } from '../../src/live-settings/index.js';
import { formatHistory, formatSetOutcome, formatSettings, getSettings, setSettings } from '../../src/ops/settings.js';
import type { CliSession } from '../session.js';
import { parseDuration } from '../time.js';

const NEEDS = ['kafka', 'schemaRegistry', 'redis'] as const;

export function registerSettingsCommands(program: Command, session: CliSession): void {
  const { io } = session;
  const settings = program.command('settings').description('live connection settings: in force within seconds on every mapper and writer, audited');

  settings
    .command('get')
    .description('the settings in force for a connection, and where the configuration file says otherwise')
    .requiredOption('--connection <id>', 'connection id')
    .option('--json', 'print as JSON')
    .option('--config <path>', 'configuration file (default: $DOS_CONFIG)')
    .action(async (flags: { connection: string; json?: boolean; config?: string }) => {
      const report = await session.withOps(flags.config, NEEDS, (infra, config) => getSettings(infra, config, flags.connection, infra.logger), { liveSettings: false });
      io.out(flags.json ? `${JSON.stringify(report)}\n` : formatSettings(report));
    });

  settings
    .command('set')
    .description('change settings, e.g. `settings set --connection eu draftOrderSync=no sendInvoice=yes originTag=off`; all or nothing')
    .requiredOption('--connection <id>', 'connection id')
    .argument('<field=value...>', 'settings to change (yes/no for switches; originTag: off or a format with {shop})')
    .option('--by <name>', 'who changes it, for the audit (default: cli:<user>)')
    .option('--revision <n>', 'refuse unless the connection is still at this revision')
    .option('--wait <duration>', 'how long to wait for every running mapper and writer to confirm', '10s')
    .option('--json', 'print the outcome as JSON')
    .option('--config <path>', 'configuration file (default: $DOS_CONFIG)')
    .action(async (assignments: string[], flags: { connection: string; by?: string; revision?: string; wait: string; json?: boolean; config?: string }) => {
      const values: Record<string, string> = {};
      for (const a of assignments) {
        const at = a.indexOf('=');
        if (at < 1) throw new Error(`${a}: expected field=value`);
        values[a.slice(0, at)] = a.slice(at + 1);
      }
      const expectedRevision = flags.revision === undefined ? undefined : Number(flags.revision);
      if (expectedRevision !== undefined && !Number.isSafeInteger(expectedRevision)) throw new Error(`--revision ${flags.revision}: expected a number`);
      const outcome = await session.withOps(
        flags.config,
        NEEDS,
        (infra, config) =>
          setSettings(
            infra,
            config,
            { connectionId: flags.connection, values, by: flags.by ?? `cli:${userInfo().username}`, waitMs: parseDuration(flags.wait), ...(expectedRevision !== undefined ? { expectedRevision } : {}) },
            infra.logger,
          ),
        { liveSettings: false },
      );
      io.out(flags.json ? `${JSON.stringify(outcome)}\n` : formatSetOutcome(flags.connection, outcome));
      if (outcome.kind === 'invalid' || outcome.kind === 'conflict') process.exitCode = 2;
    });

  settings
    .command('history')
    .description('every change of the settings: connection, field, old → new, who, when (oldest first)')
    .option('--connection <id>', 'one connection (default: all)')
    .option('--json', 'one JSON line per change')
    .option('--config <path>', 'configuration file (default: $DOS_CONFIG)')
    .action(async (flags: { connection?: string; json?: boolean; config?: string }) => {
      const entries = await session.withOps(flags.config, NEEDS, (infra) => readHistory(infra, flags.connection), { liveSettings: false });
      io.out(flags.json ? entries.map((e) => `${JSON.stringify(e)}\n`).join('') : formatHistory(entries));
    });
}
