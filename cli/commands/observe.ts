// `draft-sync dlq …`, `draft-sync status`, `draft-sync events tail` (src/ops/dlq.ts, status.ts, events-tail.ts).
import type { Command } from 'commander';
import { describeEntry, formatEntry, readDeadLetters, redrive } from '../../src/ops/dlq.js';
import { tailEvents } from '../../src/ops/events-tail.js';
import { untilSignal, type CliSession } from '../session.js';
import { formatStatus, pipelineStatus } from '../../src/ops/status.js';

const ALL = ['kafka', 'schemaRegistry', 'redis'] as const;
const CONFIG_OPTION = ['--config <path>', 'configuration file (default: $DOS_CONFIG)'] as const;

export function registerObserveCommands(program: Command, session: CliSession): void {
  const { io } = session;
  const dlq = program.command('dlq').description('dead letters: records a stage could not process, with the reason').option(...CONFIG_OPTION);
  const configOf = (cmd: Command): string | undefined => cmd.optsWithGlobals<{ config?: string }>().config;

  dlq
    .command('list')
    .description('pending letters (not redriven yet): id, stage, failed at, key, reason — tab-separated')
    .option('--all', 'include redriven letters')
    .action(async (flags: { all?: boolean }, cmd: Command) => {
      await session.withOps(configOf(cmd), ALL, async (infra) => {
        const entries = (await readDeadLetters(infra)).filter((e) => flags.all === true || e.redriven === null);
        io.out(entries.map((e) => `${formatEntry(e)}${e.redriven ? `\tredriven ${e.redriven.at}` : ''}\n`).join(''));
        io.err(`${entries.length} letter(s)${flags.all ? '' : ' pending'}\n`);
      });
    });

  dlq
    .command('show')
    .description('one letter in full (JSON)')
    .argument('<id>')
    .action(async (id: string, _flags: unknown, cmd: Command) => {
      await session.withOps(configOf(cmd), ALL, async (infra) => {
        const entry = (await readDeadLetters(infra)).find((e) => e.letter.id === id);
        if (!entry) {
          io.err(`${id}: no such letter\n`);
          process.exitCode = 1;
          return;
        }
        io.out(`${JSON.stringify(describeEntry(entry), null, 2)}\n`);
      });
    });

  dlq
    .command('redrive')
    .description('send letters back where they failed (ingest/mapper → raw topic as a redrive envelope, writer → mapped topic) and mark them redriven')
    .option('--id <id...>', 'the letters to redrive')
    .option('--all', 'every pending letter')
    .action(async (flags: { id?: string[]; all?: boolean }, cmd: Command) => {
      if (!flags.all && !flags.id) throw new Error('dlq redrive: pass --id <id…> or --all');
      await session.withOps(configOf(cmd), ALL, async (infra) => {
        const pending = (await readDeadLetters(infra)).filter((e) => e.redriven === null);
        const wanted = flags.all ? pending : pending.filter((e) => flags.id?.includes(e.letter.id));
        const unknown = (flags.id ?? []).filter((id) => !pending.some((e) => e.letter.id === id));
        for (const id of unknown) io.err(`${id}: not a pending letter\n`);
        const results = await redrive(infra, wanted);
        for (const r of results) io.out(`${r.id}\t${r.to ?? 'not redriven'}\t${r.note}\n`);
        const sent = results.filter((r) => r.to !== null).length;
        io.err(`${sent} letter(s) redriven, ${results.length - sent} could not be\n`);
        if (unknown.length > 0 || sent < results.length) process.exitCode = 1;
      });
    });

  program
    .command('status')
    .description('per connection: outcome counts, last sync, pending dead letters, unmapped variants; consumer lag of mapper and writer')
    .option('--json', 'one JSON document')
    .option(...CONFIG_OPTION)
    .action(async (flags: { json?: boolean; config?: string }) => {
      const status = await session.withOps(flags.config, ALL, (infra, config) => pipelineStatus(infra, config));
      io.out(flags.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
    });

  program
    .command('events')
    .description('the sync-events topic')
    .command('tail')
    .description('decode sync events and print one JSON line each, until interrupted (the example consumer for internal services)')
    .option('--shop <domain>', "only this destination store's events")
    .option('--from-beginning', 'start at the oldest retained event (default: new events only)')
    .option(...CONFIG_OPTION)
    .action(async (flags: { shop?: string; fromBeginning?: boolean; config?: string }) => {
      await session.withOps(flags.config, ['kafka', 'schemaRegistry'], async (infra) => {
        const tail = await tailEvents(infra, { ...(flags.shop ? { shop: flags.shop } : {}), fromBeginning: flags.fromBeginning === true }, (event) =>
          io.out(`${JSON.stringify(event)}\n`),
        );
        await untilSignal();
        await tail.stop();
      });
    });
}
