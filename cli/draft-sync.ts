// draft-sync: the product's operator CLI. Each command group lives in commands/ and registers itself here.
import { Command } from 'commander';
import { registerCommandGroups } from './commands/index.js';

const program = new Command('draft-sync')
  .description('Draft Order Sync operator commands (mappings, replay, backfill, reconcile, DLQ, status, events)')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

registerCommandGroups(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`draft-sync: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
