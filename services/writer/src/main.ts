// Writer: mapped drafts applied to the source store, every outcome on the sync-events topic.
import { loadConfig, loadInfraSettings } from '../../../src/shared/config/index.js';
import { createLogger } from '../../../src/shared/log.js';
import { createMetricsRegistry } from '../../../src/shared/metrics.js';
import { optionalNumber } from '../../../src/shared/env.js';
import { onShutdown } from '../../../src/shared/shutdown.js';
import { crashAfterCreates } from './startup/crash-after-creates.js';
import { writerEnvOptions } from './env-options.js';
import { startWriter } from './writer.js';

const logger = createLogger('writer');
const config = loadConfig(process.env.DOS_CONFIG);
const infra = loadInfraSettings(process.env);
const crashAfter = optionalNumber(process.env, 'WRITER_CRASH_AFTER_CREATES');

const writer = await startWriter({
  config,
  infra,
  logger,
  metricsRegistry: createMetricsRegistry('writer'),
  ...writerEnvOptions(process.env),
  // Test-only fault injection: kill -9 right after the n-th create, before its link is written.
  ...(crashAfter !== undefined ? { wrapSourceApi: crashAfterCreates(crashAfter) } : {}),
});
logger.info({ opsUrl: writer.opsUrl }, 'writer started');

onShutdown(logger, () => writer.stop());
