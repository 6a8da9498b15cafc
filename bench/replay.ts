// bench:replay — a raw topic pre-filled with ≥100k draft envelopes whose links say 99 % are
// applied at their newest version; `replay` re-examines all of them beside a running writer
// and a simulated source store. Reports records re-examined per second and the Shopify writes
// the replay caused (~1 % of records). Ends with one JSON line.
import { Registry } from 'prom-client';
import { runReplay } from '../src/ops/replay/replay.js';
import { stderrProgress } from '../cli/progress.js';
import { LinkStore } from '../src/links/link-store.js';
import { NO_LINK } from '../src/links/link.js';
import { startWriter } from '../services/writer/src/writer.js';
import { RedisMappingStore } from '../src/variant-mappings/index.js';
import { parseConfigText, type AppConfig } from '../src/shared/config/index.js';
import { createLogger } from '../src/shared/log.js';
import { deleteByPrefix, type RedisClient } from '../src/shared/redis.js';
import { startSimulator } from '../simulator/simulator.js';
import { draftBody, seeded } from './support/draft-bodies.js';
import { fillRawTopic, type DraftWebhook } from './support/raw-fill.js';
import { benchInfra, benchSettings, benchStack, progress } from './support/stack.js';

const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 100_000);
const UNAPPLIED_SHARE = 0.01;
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const SOURCE = 'mainbrand.myshopify.com';
const DESTINATION = 'eu-brand.myshopify.com';
const VERSION = '2026-11-01T10:05:00+01:00';
/** Destination variant ids in the bodies; each maps to one of the source store's variants. */
const DEST_VARIANTS = [41_000_001, 41_000_002, 41_000_003, 41_000_004, 41_000_005];

function benchConfig(sourceUrl: string, token: string): AppConfig {
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: SOURCE, adminTokenEnv: 'T', webhookSecretEnvs: ['S'], adminApiUrl: sourceUrl },
        { shop: DESTINATION, adminTokenEnv: 'T', webhookSecretEnvs: ['S'] },
      ],
      connections: [{ id: 'eu', source: SOURCE, destination: DESTINATION }],
    }),
    { T: token, S: 'secret' },
    'json',
  );
}

const isUnapplied = (i: number): boolean => i % Math.round(1 / UNAPPLIED_SHARE) === 0;

function draftOf(random: () => number): (i: number) => DraftWebhook {
  return (i) => {
    const id = 3_000_000_000 + i;
    const lines = 2 + Math.floor(random() * 3);
    const variantIds = Array.from({ length: lines }, (_, j) => DEST_VARIANTS[(i + j) % DEST_VARIANTS.length]!);
    return { shop: DESTINATION, id, body: draftBody({ id, shop: DESTINATION, variantIds: [...new Set(variantIds)], updatedAt: VERSION }) };
  };
}

/** 99 % of the drafts linked at their newest version (as if synced before); 1 % never applied. */
async function fillLinks(redis: RedisClient, prefix: string): Promise<number> {
  const links = new LinkStore(redis, { prefix });
  let applied = 0;
  let batch: Promise<void>[] = [];
  for (let i = 0; i < DRAFTS; i++) {
    if (isUnapplied(i)) continue;
    const id = 3_000_000_000 + i;
    batch.push(
      links.write(`${DESTINATION}/draft/${id}`, {
        ...NO_LINK,
        sourceDraftId: `gid://shopify/DraftOrder/${9_000_000 + i}`,
        sourceDraftName: `#D${i}`,
        appliedVersion: VERSION,
      }),
    );
    applied++;
    if (batch.length >= 2000) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  progress(`[bench:replay] links: ${applied} drafts applied at their newest version, ${DRAFTS - applied} not`);
  return applied;
}

async function main(): Promise<void> {
  const stack = await benchStack();
  const run = `bench-replay-${Date.now().toString(36)}`;
  const settings = benchSettings(stack, { TOPIC_PREFIX: `${run}.`, TOPIC_PARTITIONS: String(PARTITIONS), REDIS_KEY_PREFIX: `${run}:`, WRITER_REDIS_PREFIX: `${run}:writer:` });
  const { names } = settings;
  // The operator library's bootstrap, as `draft-sync replay` opens it.
  const infra = benchInfra('bench-replay', settings);
  const { topics } = infra;
  const admin = await infra.admin();

  // A Standard-plan store, time ×50 so the ~1 % writes finish in seconds.
  const sim = await startSimulator({ stores: [{ shop: SOURCE, currency: 'EUR', throttle: { timeScale: 50 } }] });
  const source = sim.store(SOURCE);
  source.seedProducts([{ title: 'Bench', options: ['N'], variants: DEST_VARIANTS.map((_, n) => ({ sku: `BENCH-${n}`, price: '10.00', options: [String(n)] })) }]);
  const config = benchConfig(sim.adminBaseUrl(SOURCE), source.accessToken);

  const redis = infra.redis();
  await new RedisMappingStore(redis, { prefix: names.mappingPrefix }).replaceAll(
    'eu',
    DEST_VARIANTS.map((id, n) => [String(id), String(source.variantBySku(`BENCH-${n}`).id)]),
  );
  await fillRawTopic(infra, DRAFTS, draftOf(seeded(11)), 'bench:replay');
  await fillLinks(redis, names.writerPrefix);

  const logger = createLogger('bench-replay', settings.logLevel ?? 'warn');
  const writer = await startWriter({ config, infra: settings.infra, names, logger, metricsRegistry: new Registry() });
  const mutationsBefore = source.stats.mutations;
  try {
    const started = performance.now();
    const summary = await runReplay(infra, config, { fromMs: 0, force: false, waitMs: 600_000 }, stderrProgress());
    const settledSeconds = (performance.now() - started) / 1000;
    const writes = source.stats.mutations - mutationsBefore;
    progress(
      `[bench:replay] scanned ${summary.scanned} in ${summary.seconds} s (${summary.recordsPerSecond}/s overall, ${summary.scanRecordsPerSecond}/s steady); ` +
        `re-driven ${summary.redriven}; outcomes ${JSON.stringify(summary.outcomes)}; all outcomes after ${settledSeconds.toFixed(1)} s; Shopify writes ${writes}`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'replay',
        metric: 'records_per_s',
        value: summary.scanRecordsPerSecond,
        writes,
        records: summary.scanned,
        redriven: summary.redriven,
        overall_records_per_s: summary.recordsPerSecond,
        scan_seconds: summary.seconds,
        outcomes_settled_seconds: Math.round(settledSeconds * 10) / 10,
        not_replayed: summary.notReplayed,
        pending: summary.outcomes?.pending ?? null,
      })}\n`,
    );
  } finally {
    await writer.stop();
    await sim.close();
    await deleteByPrefix(redis, `${run}:`);
    await admin.deleteTopics({ topics: [topics.raw, topics.mapped, topics.events, topics.dlq] }).catch(() => undefined);
    await infra.close();
    await stack.stop?.();
  }
}

await main();
