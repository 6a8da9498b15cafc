// The whole product in-process for the operations tests: a simulated source and destination
// store, ingest (the destination's webhooks), mapper and writer on fresh topics and Redis
// prefixes of the shared real servers, and the operator library's bootstrap configured the same way.
import { Registry } from 'prom-client';
import { startIngest, type RunningIngest } from '../../services/ingest/src/ingest.js';
import { startMapper, type RunningMapper } from '../../services/mapper/src/mapper.js';
import type { Link } from '../../src/links/link.js';
import { LinkStore } from '../../src/links/link-store.js';
import { startWriter, type RunningWriter } from '../../services/writer/src/writer.js';
import { syncTagFor } from '../../src/domain/keys.js';
import { RedisMappingStore } from '../../src/variant-mappings/index.js';
import { parseConfigText, type AppConfig, type Names, type Settings } from '../../src/shared/config/index.js';
import type { TopicNames } from '../../src/shared/kafka/topics.js';
import { createLogger } from '../../src/shared/log.js';
import type { RedisClient } from '../../src/shared/redis.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import type { SimulatedShop } from '../../simulator/shop.js';
import type { DraftOrder } from '../../simulator/store/model.js';
import { deleteKeys, freshTopics, testKafka, testRedis, testSettings, uniqueId } from './infra.js';
import { Infra } from '../../src/shared/infra.js';
import { WEBHOOK_PATH } from '../../src/shared/config/index.js';

export const SOURCE = 'mainbrand.myshopify.com';
export const DESTINATION = 'eu-brand.myshopify.com';
export const CONNECTION = 'eu';

const CATALOG = [
  { title: 'Red T-Shirt', options: ['Size'], variants: ['S', 'M', 'L'].map((s) => ({ sku: `RED-TS-${s}`, price: '20.00', options: [s] })) },
  { title: 'Blue Hoodie', options: ['Size'], variants: ['M', 'L'].map((s) => ({ sku: `BLUE-HD-${s}`, price: '50.00', options: [s] })) },
];

export interface PipelineOptions {
  /** Connection settings beyond id/source/destination (JSON config form). */
  readonly connection?: Record<string, unknown>;
  /** Start without the mapper/writer (started later with startServices). */
  readonly services?: boolean;
  /** Subscribe the destination's webhooks through the simulator (default); false: `stores connect` does it. */
  readonly subscribe?: boolean;
}

export class Pipeline {
  mapper: RunningMapper | null = null;
  writer: RunningWriter | null = null;

  private constructor(
    readonly label: string,
    readonly sim: Simulator,
    readonly topics: TopicNames,
    /** What the services are given; the operator library (`infra`) uses the same names. */
    readonly settings: Settings,
    readonly redis: RedisClient,
    readonly ingest: RunningIngest,
    public config: AppConfig,
    readonly infra: Infra,
    private readonly connectionExtra: Record<string, unknown>,
  ) {}

  static async start(label: string, opts: PipelineOptions = {}): Promise<Pipeline> {
    const sim = await startSimulator({ stores: [{ shop: SOURCE, currency: 'EUR' }, { shop: DESTINATION, currency: 'EUR' }] });
    sim.store(SOURCE).seedProducts(CATALOG);
    sim.store(DESTINATION).seedProducts(CATALOG);
    const kafka = testKafka(label);
    const topics = await freshTopics(kafka, label, 3);
    const base = `${uniqueId(label)}:`;
    const settings = testSettings(topics, { REDIS_KEY_PREFIX: base, WRITER_REDIS_PREFIX: `${base}writer:` });
    const extra = opts.connection ?? {};
    const config = pipelineConfig(sim, extra);
    const logger = createLogger(label, process.env.TEST_LOG_LEVEL ?? 'error');
    const ingest = await startIngest({ config, infra: settings.infra, names: settings.names, logger, metricsRegistry: new Registry(), host: '127.0.0.1', port: 0, bodyLimitBytes: 1_048_576, publishTimeoutMs: 5000 });
    if (opts.subscribe !== false) sim.store(DESTINATION).subscribeAll(`${ingest.url}${WEBHOOK_PATH}`, ['draft_orders/create', 'draft_orders/update', 'draft_orders/delete', 'orders/create']);
    const redis = testRedis();
    const infra = new Infra({ settings: settings.infra, names: settings.names, clientId: label, logger });
    // Where Shopify reaches ingest: what `stores connect` subscribes.
    const reachable: AppConfig = { ...config, ingest: { ...config.ingest, publicUrl: ingest.url } };
    const pipeline = new Pipeline(label, sim, topics, settings, redis, ingest, reachable, infra, extra);
    if (opts.services !== false) await pipeline.startServices();
    return pipeline;
  }

  get names(): Names {
    return this.settings.names;
  }

  get source(): SimulatedShop {
    return this.sim.store(SOURCE);
  }

  get destination(): SimulatedShop {
    return this.sim.store(DESTINATION);
  }

  get mappings(): RedisMappingStore {
    return new RedisMappingStore(this.redis, { prefix: this.names.mappingPrefix });
  }

  /** Maps the destination's variants to the source's by SKU (what `mappings build` would do). */
  async mapAll(skus = ['RED-TS-S', 'RED-TS-M', 'RED-TS-L', 'BLUE-HD-M', 'BLUE-HD-L']): Promise<void> {
    for (const sku of skus) await this.mapSku(sku);
  }

  async mapSku(sku: string): Promise<void> {
    await this.mappings.set(CONNECTION, String(this.destination.variantBySku(sku).id), String(this.source.variantBySku(sku).id));
  }

  /** Mapper and writer; the writer may get another configuration (to make it fail). */
  async startServices(config: AppConfig = this.config, writerConfig: AppConfig = config): Promise<void> {
    const logger = createLogger(this.label, process.env.TEST_LOG_LEVEL ?? 'error');
    const { infra, names } = this.settings;
    this.mapper = await startMapper({ config, infra, names, logger, metricsRegistry: new Registry() });
    this.writer = await this.startWriter(writerConfig);
  }

  /** A writer like the pipeline's (another instance of the group, when one runs); the caller stops it. */
  startWriter(config: AppConfig = this.config): Promise<RunningWriter> {
    const { infra, names } = this.settings;
    return startWriter({
      config,
      infra,
      names,
      logger: createLogger(this.label, process.env.TEST_LOG_LEVEL ?? 'error'),
      metricsRegistry: new Registry(),
      commitIntervalMs: 200,
      tagSearch: { attempts: 2, delayMs: 20 },
      retry: { baseDelayMs: 20, maxDelayMs: 500, maxAttempts: 5 },
    });
  }

  async stopServices(): Promise<void> {
    await this.mapper?.stop();
    await this.writer?.stop();
    this.mapper = null;
    this.writer = null;
  }

  /** Records on the sync-events topic: one or more per mapped record the writer handled. */
  async eventCount(): Promise<number> {
    const admin = await this.infra.admin();
    return (await admin.fetchTopicOffsets(this.topics.events)).reduce((n, p) => n + Number(p.high), 0);
  }

  /** The writer's link of a destination draft. */
  link(id: number, kind: 'draft' | 'order' = 'draft'): Promise<Link> {
    return new LinkStore(this.redis, { prefix: this.names.writerPrefix }).get(`${DESTINATION}/${kind}/${id}`);
  }

  /**
   * A configuration in which the destination shop is no connection's destination (the mapper
   * dead-letters its records) and the source shop no connection's source (the writer fails them).
   */
  misconfigured(): AppConfig {
    return pipelineConfig(this.sim, {}, { id: 'other', source: DESTINATION, destination: OTHER });
  }

  /** A configuration like the running one with other connection settings. */
  configWith(extra: Record<string, unknown>): AppConfig {
    return pipelineConfig(this.sim, { ...this.connectionExtra, ...extra });
  }

  /** A destination draft with the given lines (SKU → quantity). */
  createDraft(lines: Record<string, number>, extra: Record<string, unknown> = {}): DraftOrder {
    return this.destination.createDraft({
      email: 'ana@example.com',
      lineItems: Object.entries(lines).map(([sku, quantity]) => ({ variantId: this.destination.variantBySku(sku).gid, quantity })),
      ...extra,
    });
  }

  /** The source store's copy of a destination draft (found by its sync tag), if any. */
  copiesOf(destinationId: number, kind: 'draft' | 'order' = 'draft'): DraftOrder[] {
    const tag = syncTagFor(`${DESTINATION}/${kind}/${destinationId}`);
    return this.source.store.drafts().filter((d) => d.tags.includes(tag));
  }

  async close(): Promise<void> {
    await this.stopServices();
    await this.ingest.stop();
    await this.infra.close();
    await this.sim.close();
    await deleteKeys(this.redis, this.names.mappingPrefix);
    this.redis.disconnect();
    const admin = testKafka(this.label).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
    await admin.disconnect();
  }
}

const OTHER = 'other-brand.myshopify.com';

function pipelineConfig(sim: Simulator, extra: Record<string, unknown>, connection?: Record<string, unknown>): AppConfig {
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: SOURCE, adminTokenEnv: 'SRC_TOKEN', webhookSecretEnvs: ['SRC_SECRET'], adminApiUrl: sim.adminBaseUrl(SOURCE) },
        { shop: DESTINATION, adminTokenEnv: 'DST_TOKEN', webhookSecretEnvs: ['DST_SECRET'], adminApiUrl: sim.adminBaseUrl(DESTINATION) },
        { shop: OTHER, adminTokenEnv: 'DST_TOKEN', webhookSecretEnvs: ['DST_SECRET'] },
      ],
      connections: [connection ?? { id: CONNECTION, source: SOURCE, destination: DESTINATION, ...extra }],
    }),
    {
      SRC_TOKEN: sim.store(SOURCE).accessToken,
      DST_TOKEN: sim.store(DESTINATION).accessToken,
      SRC_SECRET: sim.store(SOURCE).webhookSecret,
      DST_SECRET: sim.store(DESTINATION).webhookSecret,
    },
    'json',
  );
}

