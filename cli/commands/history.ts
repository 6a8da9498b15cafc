// `draft-sync backfill` and `draft-sync reconcile`: feed the raw topic from the destination's
// Admin API (src/ops/backfill.ts, src/ops/reconcile.ts).
import { InvalidArgumentError, type Command } from 'commander';
import { runBackfill } from '../../src/ops/backfill.js';
import { stderrProgress } from '../progress.js';
import { runReconcile, type ReconcileResult } from '../../src/ops/reconcile.js';
import { formatSourceReconcile, runSourceReconcile } from '../../src/ops/source-reconcile.js';
import { untilSignal, type CliSession } from '../session.js';
import { parseDuration, parseInstant } from '../time.js';

const NEEDS = ['kafka', 'schemaRegistry', 'redis'] as const;

export function registerHistoryCommands(program: Command, session: CliSession): void {
  const { io } = session;
  program
    .command('backfill')
    .description("put a destination store's existing draft orders (and orders, when its connection's orderTrigger is on) on the raw topic; the pipeline syncs them")
    .requiredOption('--shop <domain>', 'destination store')
    .option('--since <time>', 'only records updated since: ISO-8601, epoch ms, or a duration ago (e.g. 30d)')
    .option('--json', 'print the summary as one JSON line')
    .option('--config <path>', 'configuration file (default: $DOS_CONFIG)')
    .action(async (flags: { shop: string; since?: string; json?: boolean; config?: string }) => {
      const summary = await session.withOps(flags.config, NEEDS, (infra, config) =>
        runBackfill(infra, config, { shop: flags.shop, ...(flags.since !== undefined ? { sinceMs: parseInstant(flags.since) } : {}) }, stderrProgress()),
      );
      io.out(
        flags.json
          ? `${JSON.stringify(summary)}\n`
          : `backfill ${summary.shop} (connection ${summary.connectionId}): ${summary.drafts} draft(s), ${summary.orders} order(s) put on the raw topic in ${summary.seconds}s\n`,
      );
    });

  program
    .command('reconcile')
    .description(
      'find destination drafts updated since the last watermark whose newest version was not applied (missed or late webhooks), ' +
        'and linked drafts that vanished from the destination, and feed them to the raw topic; the watermark is kept in Redis',
    )
    .option('--shop <domain>', 'one destination store (with --source: one source store); default: every connection')
    .option(
      '--source',
      "check the source store's sync-tagged copies against the links instead: lost copies are recreated at their applied version " +
        '(one write each), copies edited by someone else and orphan copies are reported',
    )
    .option('--since <time>', 'look at drafts updated since this time instead of the watermark')
    .option('--overlap <duration>', 'how far before the watermark to look again (search-index lag, clock skew)', '5m')
    .option('--every <duration>', 'run periodically (e.g. 10m) until interrupted; default: once')
    .option('--json', 'one JSON line per store and run')
    .option('--config <path>', 'configuration file (default: $DOS_CONFIG)')
    .action(async (flags: { shop?: string; source?: boolean; since?: string; overlap: string; every?: string; json?: boolean; config?: string }) => {
      if (flags.source) {
        if (flags.since !== undefined || flags.every !== undefined) throw new InvalidArgumentError('--source lists every copy once: --since and --every do not apply');
        const results = await session.withOps(flags.config, NEEDS, (infra, config) =>
          runSourceReconcile(infra, config, flags.shop !== undefined ? { shop: flags.shop } : {}, stderrProgress()),
        );
        for (const r of results) io.out(flags.json ? `${JSON.stringify({ ...r, replay: undefined })}\n` : formatSourceReconcile(r));
        return;
      }
      const print = (results: readonly ReconcileResult[]): void => {
        for (const r of results) {
          io.out(
            flags.json
              ? `${JSON.stringify(r)}\n`
              : `reconcile ${r.shop} (connection ${r.connectionId}) since ${r.since ?? 'the beginning'}: examined ${r.examined}, fed ${r.fedUpdates} update(s) and ${r.fedDeletes} delete(s); watermark ${r.watermark}\n`,
          );
        }
      };
      const base = { ...(flags.shop !== undefined ? { shop: flags.shop } : {}), overlapMs: parseDuration(flags.overlap) };
      // --since applies to the first run only; later runs follow the watermark.
      let options = flags.since !== undefined ? { ...base, sinceMs: parseInstant(flags.since) } : base;
      await session.withOps(flags.config, NEEDS, async (infra, config) => {
        if (flags.every === undefined) return print(await runReconcile(infra, config, options, stderrProgress()));
        const everyMs = parseDuration(flags.every);
        const stop = untilSignal();
        let stopped = false;
        void stop.then(() => (stopped = true));
        while (!stopped) {
          try {
            print(await runReconcile(infra, config, options, stderrProgress()));
          } catch (error) {
            io.err(`reconcile failed (next run in ${flags.every}): ${error instanceof Error ? error.message : String(error)}\n`);
          }
          options = base;
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([stop, new Promise((resolve) => (timer = setTimeout(resolve, everyMs)))]);
          clearTimeout(timer);
        }
      });
    });
}
