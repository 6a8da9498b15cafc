// Status page: per connection recent sync events, counts, lag, DLQ, unmapped variants, coverage.
import { loadConfig, loadSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { startTracing } from '../../../src/shared/tracing.js';
import { statusOptions } from './env-options.js';
import { startStatus } from './status.js';

const settings = loadSettings(process.env);
const logger = createLogger('status', settings.logLevel ?? 'info');
const config = loadConfig(settings.configPath, process.env);
const tracing = startTracing(settings.tracing);

const status = await startStatus({ config, logger, metricsRegistry: createMetricsRegistry('status'), ...statusOptions(settings) });
logger.info({ url: status.url }, 'status page started');

onShutdown(logger, async () => {
  await status.stop();
  await tracing.shutdown();
});
