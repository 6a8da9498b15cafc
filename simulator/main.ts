// Standalone simulator (`npm run sim`): two demo stores behind one HTTP server. Credentials come
// from SIM_* env vars when set, so a demo config can name them in advance.
import { DESTINATION_CATALOG, DESTINATION_CUSTOMERS, DESTINATION_SHOP, SOURCE_CATALOG, SOURCE_CUSTOMERS, SOURCE_SHOP } from './demo-catalog.js';
import { startSimulator } from './simulator.js';

const env = process.env;

// Refill the rate-limit bucket faster than real time (benchmarks); 1 = Shopify's real rates.
const throttle = { timeScale: Number(env['SIM_THROTTLE_TIME_SCALE'] ?? 1) };

const sim = await startSimulator({
  port: Number(env['SIM_PORT'] ?? 8787),
  host: env['SIM_HOST'] ?? '127.0.0.1',
  logger: env['SIM_LOG'] === '1',
  webhooks: { retryScale: Number(env['SIM_WEBHOOK_RETRY_SCALE'] ?? 1) },
  stores: [
    {
      shop: SOURCE_SHOP,
      accessToken: env['SIM_SOURCE_TOKEN'] ?? 'shpat_mainbrand_demo_token',
      webhookSecret: env['SIM_SOURCE_WEBHOOK_SECRET'] ?? 'mainbrand_demo_webhook_secret',
      currency: 'USD',
      timezoneOffsetMinutes: -300,
      throttle,
    },
    {
      shop: DESTINATION_SHOP,
      accessToken: env['SIM_DESTINATION_TOKEN'] ?? 'shpat_eu_brand_demo_token',
      webhookSecret: env['SIM_DESTINATION_WEBHOOK_SECRET'] ?? 'eu_brand_demo_webhook_secret',
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

const lines = [`Shopify simulator listening on ${sim.url} (control API: ${sim.url}/_control/stores)`];
for (const shop of [SOURCE_SHOP, DESTINATION_SHOP]) {
  const info = sim.info(shop);
  lines.push(
    '',
    `  ${info.shop}${shop === SOURCE_SHOP ? ' (source)' : ' (destination)'}`,
    `    Admin API base URL: ${info.adminBaseUrl}`,
    `    GraphQL endpoint:   ${info.graphqlUrl}`,
    `    access token:       ${info.accessToken}`,
    `    webhook secret:     ${info.webhookSecret}`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);

const shutdown = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
