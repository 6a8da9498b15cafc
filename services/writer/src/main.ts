// Writer: mapped drafts applied to the source store, every outcome on the sync-events topic.
import { loadConfig, loadSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { startOrExit } from '../../../src/shared/startup.js';
import { startTracing } from '../../../src/shared/tracing.js';
import { writerOptions } from './env-options.js';
import { startWriter } from './writer.js';

const settings = loadSettings(process.env);
const logger = createLogger('writer', settings.logLevel ?? 'info');
const config = loadConfig(settings.configPath, process.env);
const tracing = startTracing(settings.tracing);

// One registry for every attempt (a metric registered twice throws).
const metricsRegistry = createMetricsRegistry('writer');
const writer = await startOrExit(logger, 'writer', () => startWriter({ config, logger, metricsRegistry, ...writerOptions(settings) }));
logger.info({ opsUrl: writer.opsUrl }, 'writer started');

onShutdown(logger, async () => {
  await writer.stop();
  await tracing.shutdown();
});
