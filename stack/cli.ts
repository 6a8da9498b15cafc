// `npm run stack -- up [--kafka-brokers 3] [--redis-cluster]|down|env`: the local Kafka, schema
// registry and Redis (by default one broker and one Redis, as CI uses them).
import { parseArgs } from 'node:util';
import { downRecorded, ensureStack, formatEnv, readRecorded, record, recordSpawned, type RecordedProcess, type StackShape } from './stack.js';

const log = (msg: string): void => void process.stderr.write(`[stack] ${msg}\n`);

function shapeOf(args: string[]): StackShape {
  const { values } = parseArgs({ args, options: { 'kafka-brokers': { type: 'string', default: '1' }, 'redis-cluster': { type: 'boolean', default: false } } });
  const kafkaBrokers = Number(values['kafka-brokers']);
  // Two brokers cannot keep min.insync.replicas=2 through the loss of one: 1, or 3 and more.
  if (!Number.isInteger(kafkaBrokers) || kafkaBrokers < 1 || kafkaBrokers === 2) throw new Error(`--kafka-brokers: 1 or at least 3, got ${values['kafka-brokers']}`);
  return { kafkaBrokers, redisCluster: values['redis-cluster'] };
}

async function main(cmd: string | undefined, args: string[]): Promise<number> {
  switch (cmd) {
    case 'up': {
      const shape = shapeOf(args);
      const previous = readRecorded();
      const spawned: RecordedProcess[] = [];
      let runDir: string | null = null;
      // Recorded as they come, so a `down` after an `up` that died half-way stops them too.
      const stack = await ensureStack(log, {
        shape,
        onRunDir: (dir) => {
          runDir = dir;
          recordSpawned(previous, spawned, runDir);
        },
        onSpawn: (name, p) => {
          spawned.push({ name, pid: p.pid, marker: p.marker });
          recordSpawned(previous, spawned, runDir);
        },
      });
      record(stack, previous, shape);
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
      process.stderr.write('usage: npm run stack -- up [--kafka-brokers N] [--redis-cluster] | down | env\n');
      return 2;
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
