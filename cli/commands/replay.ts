// `draft-sync replay`: re-drive raw-topic history through mapping and writing (src/ops/replay).
import type { Command } from 'commander';
import { stderrProgress } from '../progress.js';
import { formatReplaySummary, runReplay } from '../../src/ops/replay/replay.js';
import { type CliSession } from '../session.js';
import { parseDuration, parseInstant } from '../time.js';

interface ReplayFlags {
  readonly config?: string;
  readonly from: string;
  readonly to?: string;
  readonly shop?: string;
  readonly force?: boolean;
  readonly wait: string;
  readonly json?: boolean;
}

export function registerReplayCommand(program: Command, session: CliSession): void {
  const { io } = session;
  program
    .command('replay')
    .description(
      're-drive raw-topic history (webhooks, backfill, reconcile records) through mapping and writing; safe beside the live ' +
        'pipeline (no live consumer offsets move) and idempotent: versions already applied are not re-driven',
    )
    .requiredOption('--from <time>', 'start: ISO-8601 time, epoch ms, or a duration ago (e.g. 6h)')
    .option('--to <time>', 'end (exclusive); default: the end of the topic when the replay starts')
    .option('--shop <domain>', "only this destination store's records")
    .option('--force', 're-apply versions already applied (e.g. after mappings changed or source copies were lost); never older ones')
    .option('--wait <duration>', 'how long to wait for the writer outcomes of re-driven records', '5m')
    .option('--json', 'print the summary as one JSON line')
    .option('--config <path>', 'configuration file (default: $DOS_CONFIG)')
    .action(async (flags: ReplayFlags) => {
      const summary = await session.withOps(flags.config, ['kafka', 'schemaRegistry', 'redis'], (infra, config) =>
        runReplay(
          infra,
          config,
          {
            fromMs: parseInstant(flags.from),
            ...(flags.to !== undefined ? { toMs: parseInstant(flags.to) } : {}),
            ...(flags.shop !== undefined ? { shop: flags.shop } : {}),
            force: flags.force === true,
            waitMs: parseDuration(flags.wait),
          },
          stderrProgress(),
        ),
      );
      io.out(flags.json ? `${JSON.stringify(summary)}\n` : formatReplaySummary(summary));
      const failed = Object.values(summary.outcomes?.failed ?? {}).reduce((a, b) => a + b, 0);
      if (failed > 0 || (summary.outcomes?.pending ?? 0) > 0) process.exitCode = 2;
    });
}
