// The simulator process in one object: several shops behind one HTTP server (Admin GraphQL API
// + control API), a webhook dispatcher, and the in-process API tests use.
import Fastify, { type FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { loadAdminApi, ADMIN_API_VERSION } from './admin-schema.js';
import { systemClock, type Clock } from './core/clock.js';
import { registerAdminRoutes } from './http/admin-routes.js';
import type { ControlDeps, StoreInfo } from './http/control-deps.js';
import { registerControlRoutes } from './http/control-routes.js';
import { SimulatedShop, type ShopOptions } from './shop.js';
import { WebhookDispatcher, type DispatcherOptions } from './webhooks/dispatcher.js';

export interface SimulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Time source for timestamps and bucket refill (a ManualClock in tests). */
  clock?: Clock;
  /** Shops to create at start. */
  stores?: ShopOptions[];
  /** Webhook retry schedule scale, timeout, subscription removal. */
  webhooks?: DispatcherOptions;
  /**
   * Shopify only accepts https webhook addresses; the simulator also accepts http for hosts this
   * allows (default: loopback names).
   */
  allowHttpWebhookHost?: (host: string) => boolean;
  /** Fastify request logging (default off). */
  logger?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export type { StoreInfo } from './http/control-deps.js';

export class Simulator implements ControlDeps {
  readonly webhooks: WebhookDispatcher;
  private readonly shops = new Map<string, SimulatedShop>();
  private readonly allowHttpWebhookHost: (host: string) => boolean;
  private url_ = '';

  constructor(
    readonly schema: GraphQLSchema,
    private readonly app: FastifyInstance,
    private readonly options: SimulatorOptions,
  ) {
    this.webhooks = new WebhookDispatcher((shop) => this.shops.get(shop), options.webhooks);
    this.allowHttpWebhookHost = options.allowHttpWebhookHost ?? ((host: string) => LOOPBACK.has(host));
  }

  /** Base URL of the HTTP server, e.g. http://127.0.0.1:41234 */
  get url(): string {
    return this.url_;
  }

  /** @internal */
  setUrl(url: string): void {
    this.url_ = url;
  }

  /** What a client sets as the Admin API base URL override: `${url}/shops/${shop}`. */
  adminBaseUrl(shop: string): string {
    return `${this.url}/shops/${this.store(shop).shop}`;
  }

  graphqlUrl(shop: string, version = ADMIN_API_VERSION): string {
    return `${this.adminBaseUrl(shop)}/admin/api/${version}/graphql.json`;
  }

  /**
   * A `fetch` that sends `https://{shop}/admin/...` to this simulator — pass it as
   * `customFetchApi` to @shopify/admin-api-client.
   */
  get fetchApi(): typeof fetch {
    return simulatorFetch(this.url);
  }

  createStore(options: ShopOptions): SimulatedShop {
    const shop = new SimulatedShop(options, {
      schema: this.schema,
      clock: this.options.clock ?? systemClock,
      onEvent: (event) => this.webhooks.dispatch(event),
      allowHttpWebhookHost: this.allowHttpWebhookHost,
    });
    if (this.shops.has(shop.shop)) throw new Error(`store ${shop.shop} already exists`);
    this.shops.set(shop.shop, shop);
    return shop;
  }

  removeStore(shop: string): boolean {
    return this.shops.delete(normalise(shop));
  }

  /** The shop (accepts `eu-brand` or `eu-brand.myshopify.com`); throws when unknown. */
  store(shop: string): SimulatedShop {
    const found = this.findStore(shop);
    if (!found) throw new Error(`no simulated store ${shop}`);
    return found;
  }

  findStore(shop: string): SimulatedShop | undefined {
    return this.shops.get(normalise(shop));
  }

  stores(): SimulatedShop[] {
    return [...this.shops.values()];
  }

  info(shop: string): StoreInfo {
    const s = this.store(shop);
    return { shop: s.shop, accessToken: s.accessToken, webhookSecret: s.webhookSecret, adminBaseUrl: this.adminBaseUrl(s.shop), graphqlUrl: this.graphqlUrl(s.shop) };
  }

  /** Empties every store (credentials kept) and forgets the webhook log. */
  reset(): void {
    this.webhooks.clear();
    for (const shop of this.shops.values()) shop.reset();
  }

  async close(): Promise<void> {
    this.webhooks.close();
    await this.app.close();
  }
}

function normalise(shop: string): string {
  const lower = shop.toLowerCase();
  return lower.includes('.') ? lower : `${lower}.myshopify.com`;
}

/** A fetch that rewrites `https://{shop}/admin/...` to `${baseUrl}/shops/{shop}/admin/...`. */
export function simulatorFetch(baseUrl: string): typeof fetch {
  const rewrite = (url: string): string => {
    const parsed = new URL(url);
    return `${baseUrl}/shops/${parsed.host}${parsed.pathname}${parsed.search}`;
  };
  return (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    if (typeof input === 'string' || input instanceof URL) return fetch(rewrite(String(input)), init);
    return fetch(new Request(rewrite(input.url), input), init);
  };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { schema, access } = await loadAdminApi();
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
  // Bodies are parsed by the routes: Shopify's answers to malformed JSON are not fastify's.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const sim = new Simulator(schema, app, options);
  registerAdminRoutes(app, { schema, access, shopOf: (shop) => sim.findStore(shop) });
  registerControlRoutes(app, sim);
  for (const store of options.stores ?? []) sim.createStore(store);
  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  sim.setUrl(address.replace('[::1]', '127.0.0.1'));
  return sim;
}
