// `draft-sync explain <shop> <ref>`: why one destination record is (not) in the source store
// (src/ops/explain.ts). Exit 0 when nothing needs doing, 2 when the verdict names a fix, 1 on errors.
import type { Command } from 'commander';
import { ACCEPTED_REFS, explainRecord, formatStory } from '../../src/ops/explain.js';
import type { CliSession } from '../session.js';
import { parseInstant } from '../time.js';

interface ExplainFlags {
  readonly since?: string;
  readonly json?: boolean;
  readonly config?: string;
}

export function registerExplainCommand(program: Command, session: CliSession): void {
  const { io } = session;
  program
    .command('explain')
    .description(
      'the story of one destination record, oldest first: every raw record for it, what the mapper made of each, the writer\u2019s ' +
        'outcomes, dead letters, the link, the source copy as the source store holds it now, and a verdict with the command that fixes it',
    )
    .argument('<shop>', 'destination store (eu-brand or eu-brand.myshopify.com)')
    .argument('<ref>', ACCEPTED_REFS)
    .option('--since <time>', 'read the topics from this time (ISO-8601, epoch ms, or a duration ago such as 7d) instead of their beginning')
    .option('--json', 'print the story as one JSON document')
    .option('--config <path>', 'configuration file (default: $DOS_CONFIG)')
    .action(async (shop: string, ref: string, flags: ExplainFlags) => {
      // Parsed before anything connects, so a typo fails fast.
      const sinceMs = flags.since === undefined ? undefined : parseInstant(flags.since);
      const story = await session.withOps(flags.config, ['kafka', 'schemaRegistry', 'redis'], (infra, config) =>
        explainRecord(infra, config, { shop, ref, ...(sinceMs !== undefined ? { sinceMs } : {}) }),
      );
      io.out(flags.json ? `${JSON.stringify(story)}\n` : formatStory(story));
      if (!story.verdict.ok) process.exitCode = 2;
    });
}
