// The mapper's options from the settings (main.ts, npm run services).
import type { Settings } from '../../../src/shared/config/index.js';
import type { MapperOptions } from './mapper.js';

export function mapperOptions(settings: Settings): Pick<MapperOptions, 'infra' | 'names' | 'opsHost' | 'opsPort' | 'partitionsConsumedConcurrently' | 'sessionTimeoutMs' | 'maxBytesPerPartition' | 'workers'> {
  return { infra: settings.infra, names: settings.names, ...settings.mapper };
}
