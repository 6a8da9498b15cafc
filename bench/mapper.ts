// bench:mapper — a raw topic pre-filled with ≥100k draft envelopes (~5 lines each, every variant
// mapped in Redis) drained by the mapper in-process; in the same run the same drain with a
// baseline lookup doing one Redis GET per line. Ends with one JSON line.
import { Registry } from 'prom-client';
import type { Counter } from 'prom-client';
import { startMapper, type RunningMapper } from '../services/mapper/src/mapper.js';
import type { BatchLookup } from '../src/map-stage/variant-lookup.js';
import { RedisMappingStore } from '../src/variant-mappings/index.js';
import { parseConfigText, type AppConfig, type Settings } from '../src/shared/config/index.js';
import { createLogger } from '../src/shared/log.js';
import { draftBody, seeded } from './support/draft-bodies.js';
import { fillRawTopic, type DraftWebhook } from './support/raw-fill.js';
import { perLineLookup } from './support/per-line-lookup.js';
import { profiled } from './support/profile.js';
import { SERVICE_NODE_FLAGS, withNodeFlags } from './support/node-flags.js';
import { benchInfra, benchSettings, benchStack, progress } from './support/stack.js';

const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 100_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const VARIANTS_PER_SHOP = 5000;
const SHOPS = ['eu-brand', 'us-brand', 'uk-brand', 'jp-brand'].map((s) => `${s}.myshopify.com`);
const SOURCE = 'mainbrand.myshopify.com';

function benchConfig(): AppConfig {
  const env = { T: 'token', S: 'secret' };
  const stores = [SOURCE, ...SHOPS].map((shop) => ({ shop, adminTokenEnv: 'T', webhookSecretEnvs: ['S'] }));
  const connections = SHOPS.map((shop, i) => ({ id: `c${i}`, source: SOURCE, destination: shop }));
  return parseConfigText(JSON.stringify({ stores, connections }), env, 'json');
}

const variantOf = (shopIndex: number, n: number): number => 45_000_000 + shopIndex * 100_000 + (n % VARIANTS_PER_SHOP);

async function fillMappings(store: RedisMappingStore): Promise<void> {
  for (let s = 0; s < SHOPS.length; s++) {
    const entries = Array.from({ length: VARIANTS_PER_SHOP }, (_, n): [string, string] => [String(variantOf(s, n)), String(9_000_000_000 + s * 100_000 + n)]);
    await store.replaceAll(`c${s}`, entries);
  }
  progress(`[bench:mapper] mappings: ${SHOPS.length} connections × ${VARIANTS_PER_SHOP} variants in Redis`);
}

/** 5 lines on average (3..7), variants of the shop's mapped range. */
function draftOf(random: () => number): (i: number) => DraftWebhook {
  return (i) => {
    const s = i % SHOPS.length;
    const shop = SHOPS[s]!;
    const lines = 3 + Math.floor(random() * 5);
    const id = 2_000_000_000 + i;
    const variantIds = Array.from({ length: lines }, (_, j) => variantOf(s, Math.floor(random() * VARIANTS_PER_SHOP) + j));
    return { shop, id, body: draftBody({ id, shop, variantIds }) };
  };
}

interface Drain {
  readonly draftsPerSecond: number;
  readonly seconds: number;
}

/** Runs the mapper until every raw record is committed; rate from its first to its last record. */
async function drain(name: string, config: AppConfig, settings: Settings, lookup?: (store: RedisMappingStore) => BatchLookup): Promise<Drain> {
  const metricsRegistry = new Registry();
  // Each run its own group (and transactional ids), so both drain the whole topic.
  const names = { ...settings.names, mapperGroup: `${settings.infra.topicPrefix}${name}`, mapperTransactionalId: `${settings.infra.topicPrefix}${name}` };
  const mapper: RunningMapper = await startMapper({
    config,
    infra: settings.infra,
    names,
    logger: createLogger(`bench-${name}`, settings.logLevel ?? 'warn'),
    metricsRegistry,
    partitionsConsumedConcurrently: Number(process.env.BENCH_CONCURRENCY ?? PARTITIONS),
    ...(process.env.BENCH_MAX_BYTES_PER_PARTITION ? { maxBytesPerPartition: Number(process.env.BENCH_MAX_BYTES_PER_PARTITION) } : {}),
    ...(process.env.BENCH_WORKERS ? { workers: Number(process.env.BENCH_WORKERS) } : {}),
    ...(lookup ? { lookup: (store: RedisMappingStore) => lookup(store) } : {}),
  });
  const recordsIn = metricsRegistry.getSingleMetric('mapper_records_in_total') as Counter;
  const done = async (): Promise<number> => (await recordsIn.get()).values.reduce((n, v) => n + v.value, 0);
  // The rate runs from the first committed batch to the end (group join and warm-up excluded),
  // counting only the drafts committed after that first observation.
  let first = 0;
  let countAtFirst = 0;
  let last = performance.now();
  let lastCount = 0;
  let end = 0;
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const count = await done();
      const now = performance.now();
      if (count > 0 && first === 0) {
        first = now;
        countAtFirst = count;
      }
      if (now - last >= 1000 || count >= DRAFTS) {
        progress(`[bench:mapper] ${name}: ${count}/${DRAFTS} drafts (${Math.round(((count - lastCount) * 1000) / (now - last))}/s)`);
        last = now;
        lastCount = count;
      }
      if (count >= DRAFTS) {
        end = now;
        break;
      }
    }
    const retries = (await (metricsRegistry.getSingleMetric('mapper_batch_retries_total') as Counter).get()).values.reduce((n, v) => n + v.value, 0);
    const batches = (await metricsRegistry.getSingleMetricAsString('mapper_batch_size')).match(/mapper_batch_size_count\S* (\d+)/)?.[1] ?? '?';
    progress(`[bench:mapper] ${name}: ${batches} batches (transactions), ${retries} redone`);
  } finally {
    await mapper.stop();
  }
  const seconds = (end - first) / 1000;
  return { draftsPerSecond: (DRAFTS - countAtFirst) / seconds, seconds };
}

async function main(): Promise<void> {
  await withNodeFlags(SERVICE_NODE_FLAGS);
  const stack = await benchStack();
  const prefix = `bench-mapper-${Date.now().toString(36)}.`;
  const settings = benchSettings(stack, { TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: String(PARTITIONS), REDIS_KEY_PREFIX: prefix });
  const infra = benchInfra('bench-mapper', settings);
  const admin = await infra.admin();
  const redis = infra.redis();
  const store = new RedisMappingStore(redis, { prefix: settings.names.mappingPrefix });
  const config = benchConfig();
  try {
    await fillMappings(store);
    await fillRawTopic(infra, DRAFTS, draftOf(seeded(7)), 'bench:mapper');
    const batched = await profiled('mapper', () => drain('mapper', config, settings));
    progress(`[bench:mapper] mapper: ${Math.round(batched.draftsPerSecond)} drafts/s (${batched.seconds.toFixed(1)} s)`);
    if (process.env.BENCH_BASELINE === '0') return; // profiling the mapper alone
    const baseline = await profiled('baseline', () => drain('baseline', config, settings, perLineLookup));
    progress(`[bench:mapper] baseline (one GET per line): ${Math.round(baseline.draftsPerSecond)} drafts/s (${baseline.seconds.toFixed(1)} s)`);
    const ratio = batched.draftsPerSecond / baseline.draftsPerSecond;
    process.stdout.write(
      `${JSON.stringify({ bench: 'mapper', metric: 'drafts_per_s', value: Math.round(batched.draftsPerSecond), baseline: Math.round(baseline.draftsPerSecond), ratio: Number(ratio.toFixed(2)) })}\n`,
    );
  } finally {
    for (let s = 0; s < SHOPS.length; s++) await store.clear(`c${s}`);
    await admin.deleteTopics({ topics: Object.values(infra.topics) }).catch(() => undefined);
    await infra.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[bench:mapper] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
