// Wires the writer's apply dependencies to a simulated source store and a real Redis.
import type { MappedDraftOrder } from '../../src/domain/model.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import type { SimulatedShop } from '../../simulator/shop.js';
import { applyMapped, type ApplyDeps, type ApplyResult } from '../../services/writer/src/apply/apply-mapped.js';
import { CustomerResolver } from '../../services/writer/src/apply/customer-resolver.js';
import { LinkStore } from '../../src/links/link-store.js';
import { systemClock } from '../../src/shared/clock.js';
import { Pacer } from '../../src/shopify/pacer.js';
import { PacedAdminClient } from '../../src/shopify/admin-client.js';
import { SourceStore } from '../../services/writer/src/shopify/source-store.js';
import { connectTestRedis, type TestRedis } from './writer-redis.js';

export const SOURCE_SHOP = 'mainbrand.myshopify.com';

export interface WriterHarness {
  readonly sim: Simulator;
  readonly shop: SimulatedShop;
  readonly redis: TestRedis;
  readonly links: LinkStore;
  readonly pacer: Pacer;
  /** The paced client under the source store (to wrap it). */
  readonly client: PacedAdminClient;
  readonly deps: ApplyDeps;
  apply(record: MappedDraftOrder): Promise<ApplyResult>;
  close(): Promise<void>;
}

export async function startWriterHarness(label: string, overrides: Partial<ApplyDeps> = {}): Promise<WriterHarness> {
  const sim = await startSimulator({ stores: [{ shop: SOURCE_SHOP, currency: 'EUR' }] });
  const shop = sim.store(SOURCE_SHOP);
  const redis = await connectTestRedis(label);
  const links = new LinkStore(redis.redis, { prefix: redis.prefix });
  const pacer = new Pacer({ clock: systemClock });
  const client = new PacedAdminClient(
    { shop: SOURCE_SHOP, accessToken: shop.accessToken, adminApiBaseUrl: sim.adminBaseUrl(SOURCE_SHOP), timeoutMs: 5_000 },
    pacer,
  );
  const store = new SourceStore(client);
  const deps: ApplyDeps = {
    links,
    storeFor: (s) => (s === SOURCE_SHOP ? store : undefined),
    customers: new CustomerResolver(redis.redis, { prefix: redis.prefix }),
    clock: systemClock,
    retry: { baseDelayMs: 10, maxDelayMs: 100, maxAttempts: 20 },
    tagSearch: { attempts: 3, delayMs: 20 },
    ...overrides,
  };
  return {
    sim,
    shop,
    redis,
    links,
    pacer,
    client,
    deps,
    apply: (record) => applyMapped(record, deps),
    async close() {
      await sim.close();
      await redis.cleanup();
    },
  };
}
