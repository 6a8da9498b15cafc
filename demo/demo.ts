// The demo on an embedded default: real Kafka, registry and Redis; simulated Shopify stores;
// the three services in-process; the seed example synced from eu-brand into mainbrand.
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { startIngest, type RunningIngest } from '../services/ingest/src/ingest.js';
import { startMapper, type RunningMapper } from '../services/mapper/src/mapper.js';
import { startStatus, type RunningStatus } from '../services/status/src/status.js';
import { startWriter, type RunningWriter } from '../services/writer/src/writer.js';
import { DESTINATION_SHOP, SOURCE_SHOP } from '../simulator/demo-catalog.js';
import { startDemoStores } from '../simulator/demo-stores.js';
import type { Simulator } from '../simulator/simulator.js';
import type { DraftOrder } from '../simulator/store/model.js';
import { buildMappings } from '../src/ops/mappings.js';
import { connectStores } from '../src/ops/stores.js';
import { loadSettings, parseConfigText, type AppConfig, type InfraSettings, type Names, type Settings } from '../src/shared/config/index.js';
import { Infra } from '../src/shared/infra.js';
import { createLogger, type Logger } from '../src/shared/log.js';
import { RedisMappingStore } from '../src/variant-mappings/index.js';
import { deleteByPrefix } from '../src/shared/redis.js';
import { ensureStack, type RunningStack } from '../stack/stack.js';

export const CONNECTION_ID = 'eu-brand';

export interface DemoOptions {
  readonly log: (line: string) => void;
  readonly ingestPort?: number;
  /** Status page port on 127.0.0.1 (default 0: any free port). */
  readonly statusPort?: number;
  readonly logLevel?: string;
}

export interface SyncedDraft {
  readonly name: string;
  readonly lines: readonly { readonly title: string; readonly sku: string | null; readonly variantId: number | null; readonly quantity: number }[];
  readonly tags: readonly string[];
  readonly email: string | null;
  readonly note: string | null;
  readonly shipping: string | null;
}

export interface RunningDemo {
  readonly sim: Simulator;
  readonly config: AppConfig;
  readonly infra: InfraSettings;
  readonly names: Names;
  readonly redisPrefix: string;
  readonly ingestUrl: string;
  readonly mapperOpsUrl: string | null;
  readonly writerOpsUrl: string | null;
  readonly statusUrl: string;
  /** The settings page, with the demo's write token (named `demo` in the audit). */
  readonly settingsUrl: string;
  /** Creates the seed draft in eu-brand and waits for its copy in mainbrand. */
  runSeedExample(timeoutMs?: number): Promise<SyncedDraft>;
  stop(): Promise<void>;
}

/** Demo secrets live in the environment like real ones; only their names are in the config. */
const DEMO_ENV = {
  DEMO_MAINBRAND_TOKEN: 'shpat_mainbrand_demo_token',
  DEMO_MAINBRAND_WEBHOOK_SECRET: 'mainbrand_demo_webhook_secret',
  DEMO_EU_BRAND_TOKEN: 'shpat_eu_brand_demo_token',
  DEMO_EU_BRAND_WEBHOOK_SECRET: 'eu_brand_demo_webhook_secret',
};

function demoConfig(sim: Simulator): AppConfig {
  const yaml = `
stores:
  - shop: ${SOURCE_SHOP}
    adminTokenEnv: DEMO_MAINBRAND_TOKEN
    webhookSecretEnvs: [DEMO_MAINBRAND_WEBHOOK_SECRET]
    adminApiUrl: ${sim.adminBaseUrl(SOURCE_SHOP)}
  - shop: ${DESTINATION_SHOP}
    adminTokenEnv: DEMO_EU_BRAND_TOKEN
    webhookSecretEnvs: [DEMO_EU_BRAND_WEBHOOK_SECRET]
    adminApiUrl: ${sim.adminBaseUrl(DESTINATION_SHOP)}
connections:
  - id: ${CONNECTION_ID}
    source: ${SOURCE_SHOP}
    destination: ${DESTINATION_SHOP}
    originTag: 'From {shop}'
    variantMatch: sku
`;
  return parseConfigText(yaml, { ...process.env, ...DEMO_ENV }, 'yaml', 'demo configuration');
}

export async function startDemo(opts: DemoOptions): Promise<RunningDemo> {
  const { log } = opts;
  const logger: Logger = createLogger('demo', opts.logLevel ?? 'warn');
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch((err: unknown) => logger.error({ err }, 'demo clean-up step failed'));
  };
  try {
    log('starting Kafka, the schema registry and Redis (first run downloads them)…');
    const stack: RunningStack = await ensureStack((msg) => log(`  stack: ${msg}`));
    cleanup.push(() => stack.stop());

    const sim = await startDemoStores();
    cleanup.push(() => sim.close());
    log(`simulated stores up: ${SOURCE_SHOP} (source), ${DESTINATION_SHOP} (destination) at ${sim.url}`);

    const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const redisPrefix = `demo-${runId}:`;
    const config = demoConfig(sim);
    // The demo's own topics and keys, set the way an operator would: through the settings.
    const settings: Settings = loadSettings({ ...stack.env, TOPIC_PREFIX: `demo-${runId}.`, REDIS_KEY_PREFIX: redisPrefix, WRITER_REDIS_PREFIX: redisPrefix });
    const { infra, names } = settings;

    const own = new Infra({ settings: infra, names, clientId: 'demo', logger });
    const redis = own.redis();
    cleanup.push(async () => {
      await deleteByPrefix(redis, redisPrefix);
      await own.close();
    });
    const mappings = new RedisMappingStore(redis, { prefix: names.mappingPrefix });
    const { report } = await buildMappings(config, mappings, CONNECTION_ID);
    log(`mappings built by SKU: ${report.mapped} variants mapped, ${report.unmatched.length} unmatched, ${report.ambiguous.length} ambiguous`);

    const common = { config, infra, names, logger };
    const ingest: RunningIngest = await startIngest({
      ...common,
      metricsRegistry: new Registry(),
      host: '127.0.0.1',
      port: opts.ingestPort ?? 0,
      bodyLimitBytes: 1 << 20,
      publishTimeoutMs: 3000,
    });
    cleanup.push(() => ingest.stop());
    // Subscribed the way a merchant's stores are: `draft-sync stores connect` against their Admin API.
    const reachable: AppConfig = { ...config, ingest: { publicUrl: ingest.url, webhookApiVersion: null } };
    const connected = await connectStores(reachable);
    const stopped = connected.find((r) => r.stopped !== null);
    if (stopped) throw new Error(`stores connect: ${stopped.stopped}`);
    log(`webhooks subscribed with stores connect: ${connected.map((r) => `${r.shop} ${r.applied}`).join(', ')} subscription(s) created`);
    const mapper: RunningMapper = await startMapper({ ...common, config: reachable, metricsRegistry: new Registry(), opsPort: 0 });
    cleanup.push(() => mapper.stop());
    const writer: RunningWriter = await startWriter({ ...common, config: reachable, metricsRegistry: new Registry(), opsPort: 0 });
    cleanup.push(() => writer.stop());
    log(`ingest, mapper and writer running (ingest at ${ingest.url})`);
    // Changing settings needs a named write token even on localhost: the demo makes one per run.
    const writeToken = randomBytes(16).toString('hex');
    const status: RunningStatus = await startStatus({
      ...common,
      config: reachable,
      metricsRegistry: new Registry(),
      host: '127.0.0.1',
      port: opts.statusPort ?? 0,
      writeTokens: [{ name: 'demo', token: writeToken }],
    });
    cleanup.push(() => status.stop());
    const settingsUrl = `${status.url}/settings?token=${writeToken}`;
    log(`status page at ${status.url}/, connection settings (live, audited) at ${settingsUrl}`);

    const destination = sim.store(DESTINATION_SHOP);

    return {
      sim,
      config: reachable,
      infra,
      names,
      redisPrefix,
      ingestUrl: ingest.url,
      mapperOpsUrl: mapper.opsUrl,
      writerOpsUrl: writer.opsUrl,
      statusUrl: status.url,
      settingsUrl,
      async runSeedExample(timeoutMs = 60_000) {
        const draft = destination.createDraft({
          email: 'jane.doe@example.com',
          note: 'Gift wrap, please',
          tags: ['wholesale'],
          shippingAddress: { firstName: 'Jane', lastName: 'Doe', address1: 'Unter den Linden 1', city: 'Berlin', zip: '10117', countryCode: 'DE' },
          shippingLine: { title: 'Standard', priceWithCurrency: { amount: '4.90', currencyCode: 'EUR' } },
          lineItems: [
            { variantId: destination.variantBySku('RED-TS-M').gid, quantity: 1 },
            { variantId: destination.variantBySku('BLUE-HD-L').gid, quantity: 2 },
          ],
        });
        log(`eu-brand created draft #D${draft.number} (1× Red T-Shirt, 2× Blue Hoodie); waiting for mainbrand…`);
        const copy = await waitForCopy(sim, timeoutMs);
        return describe(copy);
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function waitForCopy(sim: Simulator, timeoutMs: number): Promise<DraftOrder> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = sim.store(SOURCE_SHOP).snapshot().draftOrders.find((d) => d.tags.some((t) => t.startsWith('From ')));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no synced draft in ${SOURCE_SHOP} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function describe(d: DraftOrder): SyncedDraft {
  return {
    name: `#D${d.number}`,
    lines: d.lines.map((l) => ({ title: l.title, sku: l.sku, variantId: l.variantId, quantity: l.quantity })),
    tags: d.tags,
    email: d.email,
    note: d.note,
    shipping: d.shippingLine ? `${d.shippingLine.title} ${(d.shippingLine.priceCents / 100).toFixed(2)}` : null,
  };
}


/** What "synced correctly" means for the seed example; returns the problems found. */
export function checkSeedResult(sim: Simulator, synced: SyncedDraft): string[] {
  const source = sim.store(SOURCE_SHOP);
  const problems: string[] = [];
  const expected = [
    { sku: 'RED-TS-M', quantity: 1 },
    { sku: 'BLUE-HD-L', quantity: 2 },
  ];
  for (const e of expected) {
    const variant = source.variantBySku(e.sku);
    const line = synced.lines.find((l) => l.variantId === variant.id);
    if (!line) problems.push(`no line for mainbrand's ${e.sku} variant ${variant.id}`);
    else if (line.quantity !== e.quantity) problems.push(`${e.sku}: quantity ${line.quantity}, expected ${e.quantity}`);
  }
  if (synced.lines.length !== expected.length) problems.push(`${synced.lines.length} lines, expected ${expected.length}`);
  if (!synced.tags.includes('From eu-brand')) problems.push(`tags ${JSON.stringify(synced.tags)} lack "From eu-brand"`);
  if (!synced.tags.includes('wholesale')) problems.push(`tags ${JSON.stringify(synced.tags)} lack "wholesale"`);
  if (synced.email !== 'jane.doe@example.com') problems.push(`email ${synced.email ?? 'none'}`);
  if (synced.shipping !== 'Standard 4.90') problems.push(`shipping line ${synced.shipping ?? 'missing'}, expected Standard 4.90`);
  const copies = source.snapshot().draftOrders.length;
  if (copies !== 1) problems.push(`${copies} drafts in ${SOURCE_SHOP}, expected exactly 1`);
  return problems;
}
