// `npm run chaos [-- --seed N --drafts N --rate N --overlap --faults kind,… --kafka-brokers 3 --redis-cluster]`:
// the whole pipeline as processes under a seeded fault schedule, checked end to end. Prints the
// seed and the schedule first (re-run it with --seed), the table at the end, then one JSON line.
// Exit 0 only when nothing was lost, duplicated, stale or left without an outcome.
import { parseArgs } from 'node:util';
import { recordedEnv } from '../stack/stack.js';
import { FAULT_KINDS, formatSchedule, parseKinds } from './fault-schedule.js';
import { jsonLine, table } from './report.js';
import { planRun, runChaos } from './run.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    drafts: { type: 'string', default: '2000' },
    rate: { type: 'string' },
    overlap: { type: 'boolean', default: false },
    faults: { type: 'string', default: FAULT_KINDS.join(',') },
    'kafka-brokers': { type: 'string', default: '1' },
    'redis-cluster': { type: 'boolean', default: false },
    'session-timeout-ms': { type: 'string' },
    'keep-logs': { type: 'boolean', default: false },
  },
});

const log = (msg: string): void => void process.stderr.write(`[chaos] ${msg}\n`);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const options = {
  seed,
  drafts: Number(values.drafts),
  // One at a time needs a longer load for the same faults (each waits for the one before).
  rate: Number(values.rate ?? (values.overlap ? 60 : 30)),
  overlap: values.overlap,
  kinds: parseKinds(values.faults),
  mappers: 2,
  writers: 3,
  kafkaBrokers: Number(values['kafka-brokers']),
  redisCluster: values['redis-cluster'],
  sessionTimeoutMs: values['session-timeout-ms'] !== undefined ? Number(values['session-timeout-ms']) : undefined,
  downMs: 3000,
  drainTimeoutMs: 180_000,
  registryUrl: recordedEnv().SCHEMA_REGISTRY_URL,
  keepLogs: values['keep-logs'],
  log,
};
for (const [name, n] of Object.entries({ seed, drafts: options.drafts, rate: options.rate, 'kafka-brokers': options.kafkaBrokers })) {
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a whole number, got ${String(n)}`);
}
// Two brokers cannot keep min.insync.replicas=2 through the loss of one.
if (options.kafkaBrokers !== 1 && options.kafkaBrokers < 3) throw new Error(`--kafka-brokers: 1 or at least 3, got ${options.kafkaBrokers}`);
const { plan, schedule } = planRun(options);
const clusterFlags = `${options.kafkaBrokers !== 1 ? ` --kafka-brokers ${options.kafkaBrokers}` : ''}${options.redisCluster ? ' --redis-cluster' : ''}`;
log(`seed ${seed} (re-run: npm run chaos -- --seed ${seed} --drafts ${options.drafts} --rate ${options.rate}${options.overlap ? ' --overlap' : ''}${values.faults !== FAULT_KINDS.join(',') ? ` --faults ${values.faults}` : ''}${clusterFlags})`);
log(`${plan.versions.length} versions of ${options.drafts} drafts, ${plan.deliveries.length} deliveries; fault schedule:\n${formatSchedule(schedule)}`);
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupt.abort());
const result = await runChaos({ ...options, signal: interrupt.signal });
process.stderr.write(`${table(result)}\n`);
process.stdout.write(`${jsonLine(result)}\n`);
// A fault that never ran was not survived: the run did not test what its schedule said.
if (result.skipped.length > 0) log(`${result.skipped.length} fault(s) skipped for want of load after them: ${result.skipped.map((f) => f.kind).join(', ')}`);
process.exit(result.clean && result.skipped.length === 0 ? 0 : 1);
