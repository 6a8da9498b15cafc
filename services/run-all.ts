// `npm run services`: ingest, mapper, writer and the status page in one process, against the
// stores in DOS_CONFIG (real ones, or simulated). In production run each service's main.ts on its own.
import { loadConfig, loadInfraSettings } from '../src/shared/config/index.js';
import { createLogger } from '../src/shared/log.js';
import { createMetricsRegistry } from '../src/shared/metrics.js';
import { onShutdown } from '../src/shared/shutdown.js';
import { recordedEnv } from '../stack/stack.js';
import { ingestEnvOptions } from './ingest/src/env-options.js';
import { startIngest } from './ingest/src/ingest.js';
import { mapperEnvOptions } from './mapper/src/env-options.js';
import { startMapper } from './mapper/src/mapper.js';
import { statusEnvOptions } from './status/src/env-options.js';
import { startStatus } from './status/src/status.js';
import { writerEnvOptions } from './writer/src/env-options.js';
import { startWriter } from './writer/src/writer.js';

const env: NodeJS.ProcessEnv = { ...recordedEnv(), ...process.env };
const logger = createLogger('draft-order-sync');
const config = loadConfig(env.DOS_CONFIG, env);
const infra = loadInfraSettings(env);
const common = { config, infra, logger };

const ingest = await startIngest({ ...common, metricsRegistry: createMetricsRegistry('ingest'), ...ingestEnvOptions(env) });
// One process: the mapper and writer ops servers keep their own default ports whatever OPS_PORT says.
const mapper = await startMapper({ ...common, metricsRegistry: createMetricsRegistry('mapper'), ...mapperEnvOptions(env), opsPort: 8081 });
const writer = await startWriter({ ...common, metricsRegistry: createMetricsRegistry('writer'), ...writerEnvOptions(env), opsPort: 8082 });
const status = await startStatus({ ...common, metricsRegistry: createMetricsRegistry('status'), ...statusEnvOptions(env) });
logger.info({ webhooks: `${ingest.url}/webhooks/shopify`, mapper: mapper.opsUrl, writer: writer.opsUrl, status: status.url }, 'draft order sync running');

onShutdown(logger, async () => {
  await ingest.stop();
  await mapper.stop();
  await writer.stop();
  await status.stop();
});
