// Ingest's settings from the environment (main.ts, npm run services).
import type { Env } from '../../../src/shared/config/index.js';
import type { IngestOptions } from './ingest.js';

export function ingestEnvOptions(env: Env): Pick<IngestOptions, 'host' | 'port' | 'bodyLimitBytes' | 'publishTimeoutMs'> {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 8080),
    bodyLimitBytes: Number(env.INGEST_BODY_LIMIT_BYTES ?? 1_048_576),
    publishTimeoutMs: Number(env.INGEST_PUBLISH_TIMEOUT_MS ?? 3000),
  };
}
