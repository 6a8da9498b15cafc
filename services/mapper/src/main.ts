// Mapper: raw envelopes → MappedDraftOrder records, exactly once (consume→produce transactions).
import { loadConfig, loadSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { startTracing } from '../../../src/shared/tracing.js';
import { mapperOptions } from './env-options.js';
import { startMapper } from './mapper.js';

const settings = loadSettings(process.env);
const logger = createLogger('mapper', settings.logLevel ?? 'info');
const config = loadConfig(settings.configPath, process.env);
const tracing = startTracing(settings.tracing);

const mapper = await startMapper({ config, logger, metricsRegistry: createMetricsRegistry('mapper'), ...mapperOptions(settings) });
logger.info({ opsUrl: mapper.opsUrl }, 'mapper started');

onShutdown(logger, async () => {
  await mapper.stop();
  await tracing.shutdown();
});
