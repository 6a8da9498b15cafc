// Writer: mapped drafts applied to the source store, every outcome on the sync-events topic.
import { loadConfig, loadInfraSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { crashAfterCreates } from './startup/crash-after-creates.js';
import { startWriter } from './writer.js';

const logger = createLogger('writer');
const config = loadConfig(process.env.DOS_CONFIG);
const infra = loadInfraSettings(process.env);
const optionalNumber = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);
const crashAfter = optionalNumber('WRITER_CRASH_AFTER_CREATES');

const writer = await startWriter({
  config,
  infra,
  logger,
  metricsRegistry: createMetricsRegistry('writer'),
  opsHost: process.env.OPS_HOST ?? '127.0.0.1',
  opsPort: Number(process.env.OPS_PORT ?? 8082),
  groupId: process.env.WRITER_GROUP_ID,
  redisKeyPrefix: process.env.WRITER_REDIS_PREFIX,
  partitionsConsumedConcurrently: optionalNumber('WRITER_PARTITION_CONCURRENCY'),
  keyConcurrency: optionalNumber('WRITER_KEY_CONCURRENCY'),
  maxOutstandingPerPartition: optionalNumber('WRITER_MAX_OUTSTANDING_PER_PARTITION'),
  sessionTimeoutMs: optionalNumber('WRITER_SESSION_TIMEOUT_MS'),
  shutdownGraceMs: optionalNumber('WRITER_SHUTDOWN_GRACE_MS'),
  // Test-only fault injection: kill -9 right after the n-th create, before its link is written.
  ...(crashAfter !== undefined ? { wrapSourceApi: crashAfterCreates(crashAfter) } : {}),
});
logger.info({ opsUrl: writer.opsUrl }, 'writer started');

onShutdown(logger, () => writer.stop());
