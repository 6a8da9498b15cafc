// Ingest's options from the settings (main.ts, npm run services).
import type { Settings } from '../../../src/shared/config/index.js';
import type { IngestOptions } from './ingest.js';

export function ingestOptions(settings: Settings): Pick<IngestOptions, 'infra' | 'names' | 'host' | 'port' | 'bodyLimitBytes' | 'publishTimeoutMs'> {
  return { infra: settings.infra, names: settings.names, ...settings.ingest };
}
