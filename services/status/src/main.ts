// Status page: per connection recent sync events, counts, lag, DLQ, unmapped variants, coverage.
import { loadConfig, loadInfraSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { startStatus } from './status.js';

const logger = createLogger('status');
const config = loadConfig(process.env.DOS_CONFIG);
const infra = loadInfraSettings(process.env);

const status = await startStatus({
  config,
  infra,
  logger,
  metricsRegistry: createMetricsRegistry('status'),
  host: process.env.STATUS_HOST ?? '127.0.0.1',
  port: Number(process.env.STATUS_PORT ?? 8090),
  token: process.env.STATUS_TOKEN,
  redisKeyPrefix: process.env.REDIS_KEY_PREFIX,
  mapperGroupId: process.env.MAPPER_GROUP_ID,
  writerGroupId: process.env.WRITER_GROUP_ID,
  opsRedisPrefix: process.env.OPS_REDIS_PREFIX,
});
logger.info({ url: status.url }, 'status page started');

onShutdown(logger, () => status.stop());
