// Status page: per connection recent sync events, counts, lag, DLQ, unmapped variants, coverage.
import { loadConfig, loadInfraSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { statusEnvOptions } from './env-options.js';
import { startStatus } from './status.js';

const logger = createLogger('status');
const config = loadConfig(process.env.DOS_CONFIG);
const infra = loadInfraSettings(process.env);

const status = await startStatus({
  config,
  infra,
  logger,
  metricsRegistry: createMetricsRegistry('status'),
  ...statusEnvOptions(process.env),
});
logger.info({ url: status.url }, 'status page started');

onShutdown(logger, () => status.stop());
