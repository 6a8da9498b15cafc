// The writer's options from the settings (main.ts, npm run services).
import type { Settings } from '../../../src/shared/config/index.js';
import { crashAfterCreates } from './startup/crash-after-creates.js';
import type { WriterOptions } from './writer.js';

export function writerOptions(
  settings: Settings,
): Pick<WriterOptions, 'infra' | 'names' | 'opsHost' | 'opsPort' | 'partitionsConsumedConcurrently' | 'keyConcurrency' | 'maxOutstandingPerPartition' | 'sessionTimeoutMs' | 'shutdownGraceMs' | 'shopifyTimeoutMs' | 'wrapSourceApi'> {
  const { crashAfterCreates: crashAfter, ...writer } = settings.writer;
  return {
    infra: settings.infra,
    names: settings.names,
    ...writer,
    // Test-only fault injection: kill -9 right after the n-th create, before its link is written.
    ...(crashAfter !== undefined ? { wrapSourceApi: crashAfterCreates(crashAfter) } : {}),
  };
}
