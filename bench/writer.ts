// bench:writer — a backlog of mapped drafts (20 % of them repeated updates of the same drafts)
// applied to a simulated source store at Standard-plan limits (2000 points, 100/s; time scaled
// so the run stays short, ratios unchanged). Reports the share of the store's API budget used,
// THROTTLED replies, API writes per distinct draft and drafts applied per second; in the same
// run a baseline that applies every message in turn (no coalescing, no pacing) and retries
// THROTTLED after a fixed pause. Progress on stderr; one JSON line on stdout.
import { createAdminApiClient } from '@shopify/admin-api-client';
import { Registry } from 'prom-client';
import { toDraftOrderInput } from '../services/writer/src/shopify/draft-input.js';
import { DRAFT_ORDER_CREATE, DRAFT_ORDER_UPDATE } from '../services/writer/src/shopify/operations.js';
import type { AdminGraphql, CallOptions } from '../src/shopify/admin-client.js';
import { startWriter } from '../services/writer/src/writer.js';
import { mappedRecord, sourceDraft } from '../test/support/mapped-fixtures.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import type { SimulatedShop } from '../simulator/shop.js';
import { syncTagFor } from '../src/domain/keys.js';
import type { MappedDraftOrder } from '../src/domain/model.js';
import { parseConfigText, type AppConfig } from '../src/shared/config/index.js';
import type { Infra } from '../src/shared/infra.js';
import type { TopicNames } from '../src/shared/kafka/topics.js';
import { deleteByPrefix } from '../src/shared/redis.js';
import { createLogger } from '../src/shared/log.js';
import { seeded } from './support/draft-bodies.js';
import type { RunningStack } from '../stack/stack.js';
import { benchInfra, benchSettings, benchStack, progress } from './support/stack.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);
const UPDATE_SHARE = 0.2;
/** Updates go to a hot set of drafts, several each. */
const HOT_DRAFTS = Math.round(MESSAGES * 0.05);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 10);
const PLAN = { maximumAvailable: 2000, restoreRate: 100 };
const SOURCE = 'mainbrand.myshopify.com';
const DESTINATION = 'eu-brand.myshopify.com';

interface Backlog {
  readonly records: readonly MappedDraftOrder[];
  /** Newest note per key: what the store must hold at the end. */
  readonly newest: ReadonlyMap<string, string>;
}

/** Creates of every draft, with 20 % of the messages being later versions of hot drafts. */
function backlog(variantGid: string): Backlog {
  const random = seeded(11);
  const updates = Math.round(MESSAGES * UPDATE_SHARE);
  const distinct = MESSAGES - updates;
  const versions = new Map<number, number>();
  const records: MappedDraftOrder[] = [];
  const newest = new Map<string, string>();
  const record = (n: number, version: number): MappedDraftOrder => {
    const id = String(7_000_000 + n);
    const key = `${DESTINATION}/draft/${id}`;
    const note = `draft ${id} v${version}`;
    newest.set(key, note);
    return mappedRecord({
      key,
      origin: { shop: DESTINATION, kind: 'draft', id, name: `#D${n}` },
      connectionId: 'eu',
      sourceShop: SOURCE,
      // The product's default: each update first checks (batched) whether the copy was edited.
      onSourceEdited: 'FLAG',
      version: new Date(Date.UTC(2026, 10, 1, 10, 0, version)).toISOString(),
      draft: sourceDraft({
        email: null,
        phone: null,
        customer: null,
        shippingAddress: null,
        note,
        tags: ['From eu-brand'],
        customAttributes: [],
        lines: [{ kind: 'variant', sourceVariantId: variantGid, quantity: 1 + version, priceOverride: null, customAttributes: [], appliedDiscount: null }],
        appliedDiscount: null,
        shippingLine: null,
        presentmentCurrency: null,
      }),
      rawId: `bench-${id}-${version}`,
    });
  };
  let created = 0;
  let updated = 0;
  while (created < distinct || updated < updates) {
    // Mostly creates in order; an update of an already created hot draft now and then.
    const hotCreated = Math.min(created, HOT_DRAFTS);
    if (updated < updates && hotCreated > 0 && (created >= distinct || random() < updates / MESSAGES)) {
      const n = Math.floor(random() * hotCreated);
      const version = (versions.get(n) ?? 0) + 1;
      versions.set(n, version);
      records.push(record(n, version));
      updated++;
    } else {
      records.push(record(created, 0));
      created++;
    }
  }
  return { records, newest };
}

async function fill(infra: Infra, records: readonly MappedDraftOrder[]): Promise<void> {
  const codec = (await infra.codecs()).mapped;
  const producer = await infra.producer();
  for (let from = 0; from < records.length; from += 500) {
    const messages = records.slice(from, from + 500).map((r) => ({ key: r.key, value: codec.encode(r) }));
    await producer.send({ topic: infra.topics.mapped, acks: -1, messages });
  }
}

/** What the store saw of one run's API calls (from the replies' cost extension). */
class CallLog {
  first = 0;
  last = 0;
  points = 0;
  calls = 0;
  record(started: number, cost: number | null): void {
    if (this.first === 0) this.first = started;
    this.last = performance.now();
    this.points += cost ?? 0;
    this.calls++;
  }
  get seconds(): number {
    return (this.last - this.first) / 1000;
  }
}

interface RunResult {
  readonly name: string;
  readonly seconds: number;
  readonly utilisation: number;
  readonly throttled: number;
  readonly writesPerDraft: number;
  readonly draftsPerSecond: number;
}

function summarise(name: string, shop: SimulatedShop, log: CallLog, distinct: number, throttledBefore: number, mutationsBefore: number): RunResult {
  // Available over the run: the full bucket at the start plus its refill while the run lasted.
  const available = PLAN.maximumAvailable + PLAN.restoreRate * TIME_SCALE * log.seconds;
  const result: RunResult = {
    name,
    seconds: log.seconds,
    utilisation: log.points / available,
    throttled: shop.stats.throttled - throttledBefore,
    // Writes the store executed (a THROTTLED request is refused before it runs).
    writesPerDraft: (shop.stats.mutations - mutationsBefore - (shop.stats.throttled - throttledBefore)) / distinct,
    draftsPerSecond: distinct / log.seconds,
  };
  progress(
    `[bench:writer] ${name}: ${result.seconds.toFixed(1)} s, ${log.points} of ${Math.round(available)} points (utilisation ${result.utilisation.toFixed(3)}), ` +
      `${result.throttled} THROTTLED, ${result.writesPerDraft.toFixed(3)} writes/draft, ${result.draftsPerSecond.toFixed(1)} drafts/s (${(result.draftsPerSecond / TIME_SCALE).toFixed(2)}/s unscaled)`,
  );
  return result;
}

/** Nothing lost, nothing doubled: one draft per origin (by sync tag), holding its newest version. */
function verify(name: string, shop: SimulatedShop, newest: ReadonlyMap<string, string>, tagged: boolean): void {
  const drafts = shop.store.drafts();
  const problems: string[] = [];
  if (drafts.length !== newest.size) problems.push(`${drafts.length} drafts for ${newest.size} origins`);
  const byNote = new Map(drafts.map((d) => [d.note, d]));
  for (const [key, note] of newest) {
    const draft = byNote.get(note);
    if (!draft) problems.push(`${key}: newest version (${note}) missing`);
    else if (tagged && !draft.tags.includes(syncTagFor(key))) problems.push(`${key}: no sync tag`);
    if (problems.length > 5) break;
  }
  if (problems.length > 0) throw new Error(`[bench:writer] ${name}: ${problems.join('; ')}`);
  progress(`[bench:writer] ${name}: verified — ${newest.size} origins, one draft each, newest version`);
}

async function waitUntil(what: string, done: () => boolean, report: () => string, timeoutMs = 30 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`[bench:writer] timed out waiting for ${what}`);
    if (Date.now() - lastReport >= 2000) {
      progress(`[bench:writer] ${report()}`);
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function simulatedSource(): Promise<{ sim: Simulator; shop: SimulatedShop; variant: string }> {
  const sim = await startSimulator({ stores: [{ shop: SOURCE, currency: 'EUR', throttle: { ...PLAN, timeScale: TIME_SCALE } }] });
  const shop = sim.store(SOURCE);
  shop.seedProducts([{ title: 'Red T-Shirt', variants: [{ sku: 'RED-TS', price: '19.99' }] }]);
  return { sim, shop, variant: shop.variantBySku('RED-TS').gid };
}

function benchConfig(sim: Simulator, shop: SimulatedShop): AppConfig {
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: SOURCE, adminTokenEnv: 'T', webhookSecretEnvs: ['S'], adminApiUrl: sim.adminBaseUrl(SOURCE) },
        { shop: DESTINATION, adminTokenEnv: 'T', webhookSecretEnvs: ['S'] },
      ],
      connections: [{ id: 'eu', source: SOURCE, destination: DESTINATION }],
    }),
    { T: shop.accessToken, S: 'secret' },
    'json',
  );
}

async function prepare(stack: RunningStack, name: string) {
  const source = await simulatedSource();
  const prefix = `bench-writer-${name}-${Date.now().toString(36)}.`;
  const settings = benchSettings(stack, { TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: String(PARTITIONS), WRITER_REDIS_PREFIX: `${prefix}writer:` });
  const infra = benchInfra(`bench-writer-${name}`, settings);
  await infra.admin();
  const work = backlog(source.variant);
  await fill(infra, work.records);
  progress(`[bench:writer] ${name}: backlog of ${work.records.length} mapped drafts (${work.newest.size} distinct) on ${infra.topics.mapped}`);
  return { ...source, settings, infra, topics: infra.topics, work };
}

/** The writer service, in-process, draining the backlog. */
async function runWriter(stack: RunningStack): Promise<RunResult> {
  const { sim, shop, settings, infra, topics, work } = await prepare(stack, 'writer');
  const log = new CallLog();
  const wrap = (_shop: string, api: AdminGraphql): AdminGraphql => ({
    shop: api.shop,
    async call<T>(operation: string, document: string, variables: Record<string, unknown>, options?: CallOptions) {
      const started = performance.now();
      const result = await api.call<T>(operation, document, variables, options);
      if (operation !== 'ShopAccess' && (result.kind === 'ok' || result.kind === 'user-errors')) log.record(started, result.cost?.actualQueryCost ?? null);
      return result;
    },
  });
  const redisKeyPrefix = settings.names.writerPrefix;
  const throttledBefore = shop.stats.throttled;
  const mutationsBefore = shop.stats.mutations;
  const writer = await startWriter({
    config: benchConfig(sim, shop),
    infra: settings.infra,
    names: settings.names,
    logger: createLogger('bench-writer', settings.logLevel ?? 'warn'),
    metricsRegistry: new Registry(),
    partitionsConsumedConcurrently: PARTITIONS,
    wrapSourceApi: wrap,
  });
  const redis = infra.redis();
  try {
    await waitUntil(
      'the writer to apply the backlog',
      () => {
        const drafts = shop.store.drafts();
        if (drafts.length < work.newest.size) return false;
        const notes = new Set(drafts.map((d) => d.note));
        return [...work.newest.values()].every((note) => notes.has(note));
      },
      () => `writer: ${shop.store.drafts().length}/${work.newest.size} drafts, ${shop.stats.mutations - mutationsBefore} writes, ${shop.stats.throttled - throttledBefore} THROTTLED`,
    );
    const result = summarise('writer', shop, log, work.newest.size, throttledBefore, mutationsBefore);
    verify('writer', shop, work.newest, true);
    return result;
  } finally {
    await writer.stop();
    await sim.close();
    await deleteByPrefix(redis, redisKeyPrefix);
    await deleteTopics(infra, topics);
  }
}

/**
 * The baseline: one message after another per partition, every version written (create, then
 * updates), no pacing; a THROTTLED reply is retried after a fixed (scaled) second.
 */
async function runBaseline(stack: RunningStack): Promise<RunResult> {
  const { sim, shop, infra, topics, work } = await prepare(stack, 'baseline');
  const kafka = infra.kafka();
  const log = new CallLog();
  const client = createAdminApiClient({ storeDomain: SOURCE, apiVersion: '2026-10', accessToken: shop.accessToken, customFetchApi: sim.fetchApi, retries: 0, logger: () => undefined });
  const decoder = infra.mappedReader();
  const ids = new Map<string, string>();
  const throttledBefore = shop.stats.throttled;
  const mutationsBefore = shop.stats.mutations;
  let applied = 0;
  const consumer = kafka.consumer({ groupId: `${infra.topicPrefix}baseline`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.mapped, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachMessage: async ({ message }) => {
      const decoded = await decoder.decode(message.value);
      if (!decoded.ok || !decoded.value.draft) throw new Error('baseline: undecodable record');
      const record = decoded.value;
      const input = toDraftOrderInput(record.draft!, syncTagFor(record.key), null);
      for (;;) {
        const id = ids.get(record.key);
        const started = performance.now();
        const reply = id === undefined ? await client.request(DRAFT_ORDER_CREATE, { variables: { input } }) : await client.request(DRAFT_ORDER_UPDATE, { variables: { id, input } });
        const cost = (reply.extensions?.cost as { actualQueryCost?: number } | undefined)?.actualQueryCost ?? null;
        if (reply.errors?.graphQLErrors?.some((e) => e.extensions?.code === 'THROTTLED')) {
          await new Promise((resolve) => setTimeout(resolve, 1000 / TIME_SCALE));
          continue;
        }
        if (reply.errors) throw new Error(`baseline: ${reply.errors.message ?? 'request failed'}`);
        log.record(started, cost);
        const data = reply.data as { draftOrderCreate?: { draftOrder: { id: string } | null } } | undefined;
        const created = data?.draftOrderCreate?.draftOrder?.id;
        if (created) ids.set(record.key, created);
        break;
      }
      applied++;
    },
  });
  try {
    await waitUntil(
      'the baseline to apply every message',
      () => applied >= work.records.length,
      () => `baseline: ${applied}/${work.records.length} messages, ${shop.store.drafts().length} drafts, ${shop.stats.throttled - throttledBefore} THROTTLED`,
    );
    const result = summarise('baseline', shop, log, work.newest.size, throttledBefore, mutationsBefore);
    verify('baseline', shop, work.newest, true);
    return result;
  } finally {
    await consumer.disconnect();
    await sim.close();
    await deleteTopics(infra, topics);
  }
}

/** Deletes the run's topics and closes its connections. */
async function deleteTopics(infra: Infra, topics: TopicNames): Promise<void> {
  const admin = await infra.admin();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await infra.close();
}

async function main(): Promise<void> {
  const stack = await benchStack();
  progress(`[bench:writer] ${MESSAGES} messages, ${UPDATE_SHARE * 100} % updates; store at ${PLAN.maximumAvailable} points / ${PLAN.restoreRate} per s, time ×${TIME_SCALE}`);
  try {
    const ours = await runWriter(stack);
    const baseline = await runBaseline(stack);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'writer',
        metric: 'budget_utilisation',
        value: Number(ours.utilisation.toFixed(3)),
        throttled: ours.throttled,
        writes_per_draft: Number(ours.writesPerDraft.toFixed(3)),
        drafts_per_s: Number(ours.draftsPerSecond.toFixed(1)),
        baseline_metric: 'drafts_per_s',
        baseline: Number(baseline.draftsPerSecond.toFixed(1)),
        ratio: Number((ours.draftsPerSecond / baseline.draftsPerSecond).toFixed(2)),
        baseline_utilisation: Number(baseline.utilisation.toFixed(3)),
        baseline_throttled: baseline.throttled,
        baseline_writes_per_draft: Number(baseline.writesPerDraft.toFixed(3)),
        time_scale: TIME_SCALE,
      })}\n`,
    );
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[bench:writer] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
