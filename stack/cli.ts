// `npm run stack -- up|down|env`: the local Kafka, schema registry and Redis.
import { downRecorded, ensureStack, formatEnv, readRecorded, record } from './stack.js';

const log = (msg: string): void => void process.stderr.write(`[stack] ${msg}\n`);

async function main(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'up': {
      const previous = readRecorded();
      const stack = await ensureStack(log);
      record(stack, previous);
      // The processes outlive this command; `down` stops them.
      process.stdout.write(formatEnv(stack.env));
      log(stack.started.length ? `started ${stack.started.map((p) => p.name).join(', ')}` : 'everything already up');
      return 0;
    }
    case 'down': {
      const n = await downRecorded(log);
      log(n ? `stopped ${n} process(es)` : 'nothing to stop');
      return 0;
    }
    case 'env': {
      const state = readRecorded();
      if (!state) {
        log("nothing recorded: run 'npm run stack -- up' first");
        return 1;
      }
      process.stdout.write(formatEnv(state.env));
      return 0;
    }
    default:
      process.stderr.write('usage: npm run stack -- up|down|env\n');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
