// Ingest: verified Shopify webhooks onto the raw topic, answered 200 only once durable.
import { loadConfig, loadInfraSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { ingestEnvOptions } from './env-options.js';
import { startIngest } from './ingest.js';

const logger = createLogger('ingest');
const config = loadConfig(process.env.DOS_CONFIG);
const infra = loadInfraSettings(process.env, ['kafka', 'schemaRegistry']);

const ingest = await startIngest({
  config,
  infra,
  logger,
  metricsRegistry: createMetricsRegistry('ingest'),
  ...ingestEnvOptions(process.env),
});
logger.info({ url: ingest.url }, 'ingest listening');

onShutdown(logger, () => ingest.stop());
