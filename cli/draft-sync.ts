// draft-sync: the product's operator CLI. Each command group lives in commands/ and registers itself here.
import { Command } from 'commander';
import { recordedEnv } from '../stack/stack.js';
import { registerCommandGroups } from './commands/index.js';
import { CliSession } from './session.js';

const program = new Command('draft-sync')
  .description('Draft Order Sync operator commands (mappings, replay, backfill, reconcile, DLQ, status, events)')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

// Infrastructure from the environment, else what `npm run stack -- up` recorded.
registerCommandGroups(program, new CliSession({ ...recordedEnv(), ...process.env }));

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`draft-sync: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
