// The status page's options from the settings (main.ts, npm run services).
import type { Settings } from '../../../src/shared/config/index.js';
import type { StatusOptions } from './status.js';

export function statusOptions(settings: Settings): Pick<StatusOptions, 'infra' | 'names' | 'host' | 'port' | 'token'> {
  return { infra: settings.infra, names: settings.names, ...settings.status };
}
