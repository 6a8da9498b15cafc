// Mapper: raw envelopes → MappedDraftOrder records, exactly once (consume→produce transactions).
import { loadConfig, loadInfraSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { startMapper } from './mapper.js';

const logger = createLogger('mapper');
const config = loadConfig(process.env.DOS_CONFIG);
const infra = loadInfraSettings(process.env);
const optionalNumber = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

const mapper = await startMapper({
  config,
  infra,
  logger,
  metricsRegistry: createMetricsRegistry('mapper'),
  opsHost: process.env.OPS_HOST ?? '127.0.0.1',
  opsPort: Number(process.env.OPS_PORT ?? 8081),
  groupId: process.env.MAPPER_GROUP_ID,
  transactionalId: process.env.MAPPER_TRANSACTIONAL_ID,
  redisKeyPrefix: process.env.REDIS_KEY_PREFIX,
  partitionsConsumedConcurrently: optionalNumber('MAPPER_CONCURRENCY'),
  sessionTimeoutMs: optionalNumber('MAPPER_SESSION_TIMEOUT_MS'),
  maxBytesPerPartition: optionalNumber('MAPPER_MAX_BYTES_PER_PARTITION'),
});
logger.info({ opsUrl: mapper.opsUrl }, 'mapper started');

onShutdown(logger, () => mapper.stop());
