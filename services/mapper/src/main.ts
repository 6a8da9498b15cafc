// Mapper: raw envelopes → MappedDraftOrder records, exactly once (consume→produce transactions).
import { loadConfig, loadSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { startOrExit } from '../../../src/shared/startup.js';
import { startTracing } from '../../../src/shared/tracing.js';
import { mapperOptions } from './env-options.js';
import { startMapper } from './mapper.js';

const settings = loadSettings(process.env);
const logger = createLogger('mapper', settings.logLevel ?? 'info');
const config = loadConfig(settings.configPath, process.env);
const tracing = startTracing(settings.tracing);

// One registry for every attempt (a metric registered twice throws).
const metricsRegistry = createMetricsRegistry('mapper');
const mapper = await startOrExit(logger, 'mapper', () => startMapper({ config, logger, metricsRegistry, ...mapperOptions(settings) }));
logger.info({ opsUrl: mapper.opsUrl }, 'mapper started');

onShutdown(logger, async () => {
  await mapper.stop();
  await tracing.shutdown();
});
