// `draft-sync stores check|connect`: the configured stores' tokens, scopes and webhook
// subscriptions, from Shopify's own answers (src/ops/stores.ts).
import type { Command } from 'commander';
import { checkStores, connectStores, describeAction, formatChecks } from '../../src/ops/stores.js';
import type { CliSession } from '../session.js';

const CONFIG_OPTION = ['--config <path>', 'configuration file (default: $DOS_CONFIG)'] as const;

export function registerStoreCommands(program: Command, session: CliSession): void {
  const { io } = session;
  const group = program.command('stores').description("the configured stores: token, access scopes, webhook subscriptions");

  group
    .command('check')
    .description('per store: the token works for that shop, the scopes its roles need are granted, its webhooks are subscribed once to our callback (exit 0 ready, 2 problems, 1 errors)')
    .option('--shop <domain>', 'one store only')
    .option('--json', 'one JSON document')
    .option(...CONFIG_OPTION)
    .action(async (flags: { shop?: string; json?: boolean; config?: string }) => {
      const { config } = session.context(flags.config, []);
      const checks = await checkStores(config, flags.shop ? { shop: flags.shop } : {});
      io.out(flags.json ? `${JSON.stringify(checks)}\n` : formatChecks(checks));
      if (checks.some((c) => c.problems.length > 0)) process.exitCode = 2;
    });

  group
    .command('connect')
    .description("make the webhook subscriptions match: create missing ones, fix ours that are wrong, delete ours no longer needed (never another address's)")
    .option('--shop <domain>', 'one store only')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--json', 'one JSON document')
    .option(...CONFIG_OPTION)
    .action(async (flags: { shop?: string; dryRun?: boolean; json?: boolean; config?: string }) => {
      const { config } = session.context(flags.config, []);
      const results = await connectStores(config, { dryRun: flags.dryRun === true, ...(flags.shop ? { shop: flags.shop } : {}) });
      if (flags.json) io.out(`${JSON.stringify(results)}\n`);
      else {
        for (const r of results) {
          if (r.actions.length === 0 && r.stopped === null) io.out(`${r.shop}: subscriptions already right; nothing changed\n`);
          for (const [i, action] of r.actions.entries()) {
            const state = flags.dryRun ? 'would' : i < r.applied ? 'done:' : 'not done:';
            io.out(`${r.shop}: ${state} ${describeAction(action)}\n`);
          }
          if (r.stopped) io.out(`${r.shop}: stopped: ${r.stopped}\n`);
        }
      }
      if (results.some((r) => r.stopped !== null)) process.exitCode = 2;
    });
}
