// Ingest: verified Shopify webhooks onto the raw topic, answered 200 only once durable.
import { loadConfig, loadSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { startOrExit } from '../../../src/shared/startup.js';
import { startTracing } from '../../../src/shared/tracing.js';
import { ingestOptions } from './env-options.js';
import { startIngest } from './ingest.js';

const settings = loadSettings(process.env, ['kafka', 'schemaRegistry']);
const logger = createLogger('ingest', settings.logLevel ?? 'info');
const config = loadConfig(settings.configPath, process.env);
const tracing = startTracing(settings.tracing);

// One registry for every attempt (a metric registered twice throws).
const metricsRegistry = createMetricsRegistry('ingest');
const ingest = await startOrExit(logger, 'ingest', () => startIngest({ config, logger, metricsRegistry, ...ingestOptions(settings) }));
logger.info({ url: ingest.url }, 'ingest listening');

onShutdown(logger, async () => {
  await ingest.stop();
  await tracing.shutdown();
});
