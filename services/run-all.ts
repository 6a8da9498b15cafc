// `npm run services`: ingest, mapper, writer and the status page in one process, against the
// stores in DOS_CONFIG (real ones, or simulated). In production run each service's main.ts on its own.
import { loadConfig, loadInfraSettings } from '../src/shared/config/index.js';
import { createLogger } from '../src/shared/log.js';
import { createMetricsRegistry } from '../src/shared/metrics.js';
import { onShutdown } from '../src/shared/shutdown.js';
import { recordedEnv } from '../stack/stack.js';
import { startIngest } from './ingest/src/ingest.js';
import { startMapper } from './mapper/src/mapper.js';
import { startStatus } from './status/src/status.js';
import { startWriter } from './writer/src/writer.js';

const env: NodeJS.ProcessEnv = { ...recordedEnv(), ...process.env };
const logger = createLogger('draft-order-sync');
const config = loadConfig(env.DOS_CONFIG, env);
const infra = loadInfraSettings(env);
const common = { config, infra, logger };

const ingest = await startIngest({
  ...common,
  metricsRegistry: createMetricsRegistry('ingest'),
  host: env.HOST ?? '127.0.0.1',
  port: Number(env.PORT ?? 8080),
  bodyLimitBytes: Number(env.INGEST_BODY_LIMIT_BYTES ?? 1_048_576),
  publishTimeoutMs: Number(env.INGEST_PUBLISH_TIMEOUT_MS ?? 3000),
});
const mapper = await startMapper({ ...common, metricsRegistry: createMetricsRegistry('mapper'), opsPort: 8081, redisKeyPrefix: env.REDIS_KEY_PREFIX });
const writer = await startWriter({ ...common, metricsRegistry: createMetricsRegistry('writer'), opsPort: 8082, redisKeyPrefix: env.WRITER_REDIS_PREFIX });
const status = await startStatus({
  ...common,
  metricsRegistry: createMetricsRegistry('status'),
  host: env.STATUS_HOST ?? '127.0.0.1',
  port: Number(env.STATUS_PORT ?? 8090),
  token: env.STATUS_TOKEN,
  redisKeyPrefix: env.REDIS_KEY_PREFIX,
});
logger.info({ webhooks: `${ingest.url}/webhooks/shopify`, mapper: mapper.opsUrl, writer: writer.opsUrl, status: status.url }, 'draft order sync running');

onShutdown(logger, async () => {
  await ingest.stop();
  await mapper.stop();
  await writer.stop();
  await status.stop();
});
