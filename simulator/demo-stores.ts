// The two demo stores (mainbrand = source, eu-brand = destination) with their catalogs and
// customers, in one simulator: used by `npm run sim` and by the demo.
import { DESTINATION_CATALOG, DESTINATION_CUSTOMERS, DESTINATION_SHOP, SOURCE_CATALOG, SOURCE_CUSTOMERS, SOURCE_SHOP } from './demo-catalog.js';
import { startSimulator, type Simulator } from './simulator.js';

export interface DemoStoreOptions {
  readonly port?: number;
  readonly host?: string;
  readonly logger?: boolean;
  /** Refill the rate-limit bucket faster than real time; 1 = Shopify's real rates. */
  readonly throttleTimeScale?: number;
  readonly webhookRetryScale?: number;
  readonly sourceToken?: string;
  readonly sourceWebhookSecret?: string;
  readonly destinationToken?: string;
  readonly destinationWebhookSecret?: string;
}

export async function startDemoStores(o: DemoStoreOptions = {}): Promise<Simulator> {
  const throttle = { timeScale: o.throttleTimeScale ?? 1 };
  const sim = await startSimulator({
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    logger: o.logger ?? false,
    webhooks: { retryScale: o.webhookRetryScale ?? 1 },
    stores: [
      {
        shop: SOURCE_SHOP,
        accessToken: o.sourceToken ?? 'shpat_mainbrand_demo_token',
        webhookSecret: o.sourceWebhookSecret ?? 'mainbrand_demo_webhook_secret',
        currency: 'USD',
        timezoneOffsetMinutes: -300,
        throttle,
      },
      {
        shop: DESTINATION_SHOP,
        accessToken: o.destinationToken ?? 'shpat_eu_brand_demo_token',
        webhookSecret: o.destinationWebhookSecret ?? 'eu_brand_demo_webhook_secret',
        currency: 'EUR',
        timezoneOffsetMinutes: 60,
        throttle,
      },
    ],
  });
  sim.store(SOURCE_SHOP).seedProducts(SOURCE_CATALOG);
  for (const c of SOURCE_CUSTOMERS) sim.store(SOURCE_SHOP).addCustomer(c);
  sim.store(DESTINATION_SHOP).seedProducts(DESTINATION_CATALOG);
  for (const c of DESTINATION_CUSTOMERS) sim.store(DESTINATION_SHOP).addCustomer(c);
  return sim;
}
