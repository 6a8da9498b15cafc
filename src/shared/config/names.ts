// Where the services keep their state, named once: consumer groups, transactional ids and Redis
// key prefixes, with their defaults. Services, the operator commands and the status page all
// take these from here (through the settings), so they always look in the same places.

export interface Names {
  /** REDIS_KEY_PREFIX: the mapping store (mapper, `mappings` commands, status, replay). */
  readonly mappingPrefix: string;
  /** WRITER_REDIS_PREFIX: the writer's link state and customer cache (writer, replay, reconcile). */
  readonly writerPrefix: string;
  /** OPS_REDIS_PREFIX: the operator commands' own state (watermarks, redrive marks, event counters). */
  readonly opsPrefix: string;
  /** MAPPER_GROUP_ID. */
  readonly mapperGroup: string;
  /** WRITER_GROUP_ID. */
  readonly writerGroup: string;
  /** MAPPER_TRANSACTIONAL_ID: prefix of the mapper's per-partition transactional ids. */
  readonly mapperTransactionalId: string;
}

export const DEFAULT_MAPPING_PREFIX = 'dos:';
export const DEFAULT_WRITER_PREFIX = 'dos:writer:';

/** The names in force: each one given, else its default (groups follow the topic prefix). */
export function resolveNames(topicPrefix: string, given: Partial<Names> = {}): Names {
  const mappingPrefix = given.mappingPrefix ?? DEFAULT_MAPPING_PREFIX;
  const mapperGroup = given.mapperGroup ?? `${topicPrefix}mapper`;
  return Object.freeze({
    mappingPrefix,
    writerPrefix: given.writerPrefix ?? DEFAULT_WRITER_PREFIX,
    opsPrefix: given.opsPrefix ?? `${mappingPrefix}ops:`,
    mapperGroup,
    writerGroup: given.writerGroup ?? `${topicPrefix}writer`,
    mapperTransactionalId: given.mapperTransactionalId ?? mapperGroup,
  });
}
