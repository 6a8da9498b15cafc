// Standalone simulator (`npm run sim`): two demo stores behind one HTTP server. Credentials come
// from SIM_* env vars when set, so a demo config can name them in advance.
import { DESTINATION_SHOP, SOURCE_SHOP } from './demo-catalog.js';
import { startDemoStores } from './demo-stores.js';

const env = process.env;
const sim = await startDemoStores({
  port: Number(env['SIM_PORT'] ?? 8787),
  host: env['SIM_HOST'] ?? '127.0.0.1',
  logger: env['SIM_LOG'] === '1',
  throttleTimeScale: Number(env['SIM_THROTTLE_TIME_SCALE'] ?? 1),
  webhookRetryScale: Number(env['SIM_WEBHOOK_RETRY_SCALE'] ?? 1),
  ...(env['SIM_SOURCE_TOKEN'] ? { sourceToken: env['SIM_SOURCE_TOKEN'] } : {}),
  ...(env['SIM_SOURCE_WEBHOOK_SECRET'] ? { sourceWebhookSecret: env['SIM_SOURCE_WEBHOOK_SECRET'] } : {}),
  ...(env['SIM_DESTINATION_TOKEN'] ? { destinationToken: env['SIM_DESTINATION_TOKEN'] } : {}),
  ...(env['SIM_DESTINATION_WEBHOOK_SECRET'] ? { destinationWebhookSecret: env['SIM_DESTINATION_WEBHOOK_SECRET'] } : {}),
});

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
