// Where the services keep their state, as the operator commands must see it: the same env
// variables and defaults the services' main.ts read, so the CLI and the services agree.
import { DEFAULT_MAPPING_PREFIX } from '../../src/variant-mappings/index.js';
import type { InfraSettings } from '../../src/shared/config/index.js';
import { DEFAULT_WRITER_REDIS_PREFIX } from '../../services/writer/src/writer.js';

export interface OpsSettings {
  /** Mapping store prefix (mapper, `mappings` commands): REDIS_KEY_PREFIX. */
  readonly mappingPrefix: string;
  /** Writer link/customer prefix: WRITER_REDIS_PREFIX. */
  readonly writerPrefix: string;
  /** This CLI's own durable state (reconcile watermarks, DLQ redrive marks, event counters). */
  readonly opsPrefix: string;
  readonly mapperGroup: string;
  readonly writerGroup: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function opsSettings(infra: Pick<InfraSettings, 'topicPrefix'>, env: Env = process.env): OpsSettings {
  const mappingPrefix = env.REDIS_KEY_PREFIX || DEFAULT_MAPPING_PREFIX;
  return {
    mappingPrefix,
    writerPrefix: env.WRITER_REDIS_PREFIX || DEFAULT_WRITER_REDIS_PREFIX,
    opsPrefix: env.OPS_REDIS_PREFIX || `${mappingPrefix}ops:`,
    mapperGroup: env.MAPPER_GROUP_ID || `${infra.topicPrefix}mapper`,
    writerGroup: env.WRITER_GROUP_ID || `${infra.topicPrefix}writer`,
  };
}
