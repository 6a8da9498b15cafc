// Ingest: verified Shopify webhooks onto the raw topic, answered 200 only once durable.
import { loadConfig, loadInfraSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { startIngest } from './ingest.js';

const logger = createLogger('ingest');
const config = loadConfig(process.env.DOS_CONFIG);
const infra = loadInfraSettings(process.env, ['kafka', 'schemaRegistry']);

const ingest = await startIngest({
  config,
  infra,
  logger,
  metricsRegistry: createMetricsRegistry('ingest'),
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8080),
  bodyLimitBytes: Number(process.env.INGEST_BODY_LIMIT_BYTES ?? 1_048_576),
  publishTimeoutMs: Number(process.env.INGEST_PUBLISH_TIMEOUT_MS ?? 3000),
});
logger.info({ url: ingest.url }, 'ingest listening');

onShutdown(logger, () => ingest.stop());
