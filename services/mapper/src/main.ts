// Mapper: raw envelopes → MappedDraftOrder records, exactly once (consume→produce transactions).
import { loadConfig, loadInfraSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { mapperEnvOptions } from './env-options.js';
import { startMapper } from './mapper.js';

const logger = createLogger('mapper');
const config = loadConfig(process.env.DOS_CONFIG);
const infra = loadInfraSettings(process.env);

const mapper = await startMapper({
  config,
  infra,
  logger,
  metricsRegistry: createMetricsRegistry('mapper'),
  ...mapperEnvOptions(process.env),
});
logger.info({ opsUrl: mapper.opsUrl }, 'mapper started');

onShutdown(logger, () => mapper.stop());
