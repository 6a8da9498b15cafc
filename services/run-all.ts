// `npm run services`: ingest, mapper, writer and the status page in one process, against the
// stores in DOS_CONFIG (real ones, or simulated). In production run each service's main.ts on its own.
import { loadConfig, loadSettings } from '../src/shared/config/index.js';
import { createLogger } from '../src/shared/log.js';
import { createMetricsRegistry } from '../src/shared/metrics.js';
import { onShutdown } from '../src/shared/shutdown.js';
import { startTracing } from '../src/shared/tracing.js';
import { recordedEnv } from '../stack/stack.js';
import { ingestOptions } from './ingest/src/env-options.js';
import { startIngest } from './ingest/src/ingest.js';
import { mapperOptions } from './mapper/src/env-options.js';
import { startMapper } from './mapper/src/mapper.js';
import { statusOptions } from './status/src/env-options.js';
import { startStatus } from './status/src/status.js';
import { writerOptions } from './writer/src/env-options.js';
import { startWriter } from './writer/src/writer.js';

const env: NodeJS.ProcessEnv = { ...recordedEnv(), ...process.env };
const settings = loadSettings(env);
const logger = createLogger('draft-order-sync', settings.logLevel ?? 'info');
const config = loadConfig(settings.configPath, env);
const tracing = startTracing(settings.tracing);
// One process, one port each: OPS_PORT alone would give the mapper and the writer the same one.
if (settings.mapper.opsPort !== 0 && settings.mapper.opsPort === settings.writer.opsPort) {
  throw new Error(`the mapper and the writer would both listen on ops port ${settings.mapper.opsPort}: set MAPPER_OPS_PORT and WRITER_OPS_PORT`);
}
const common = { config, logger };

const ingest = await startIngest({ ...common, metricsRegistry: createMetricsRegistry('ingest'), ...ingestOptions(settings) });
const mapper = await startMapper({ ...common, metricsRegistry: createMetricsRegistry('mapper'), ...mapperOptions(settings) });
const writer = await startWriter({ ...common, metricsRegistry: createMetricsRegistry('writer'), ...writerOptions(settings) });
const status = await startStatus({ ...common, metricsRegistry: createMetricsRegistry('status'), ...statusOptions(settings) });
logger.info({ webhooks: `${ingest.url}/webhooks/shopify`, mapper: mapper.opsUrl, writer: writer.opsUrl, status: status.url }, 'draft order sync running');

onShutdown(logger, async () => {
  await ingest.stop();
  await mapper.stop();
  await writer.stop();
  await status.stop();
  await tracing.shutdown();
});
