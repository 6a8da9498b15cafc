// Where the infrastructure is. Endpoints have no defaults, so a service never silently talks
// to the wrong cluster; they are read from the environment by settings.ts.

export interface InfraSettings {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly redisUrl: string;
  /** REDIS_CLUSTER_NODES (`host:port` seeds): a Redis Cluster instead of `redisUrl`; empty = none. */
  readonly redisClusterNodes: readonly string[];
  /** Prepended to every topic name (e.g. `test-42.`); empty by default. */
  readonly topicPrefix: string;
  /** Partitions of the raw, mapped and events topics when they are created (TOPIC_PARTITIONS). */
  readonly topicPartitions: number;
  /**
   * Replicas of each topic when it is created (TOPIC_REPLICATION_FACTOR); -1 = the broker's
   * default.replication.factor. min.insync.replicas is left to the broker's config.
   */
  readonly topicReplicationFactor: number;
}

export type InfraNeed = 'kafka' | 'schemaRegistry' | 'redis';

export const ALL_INFRA: readonly InfraNeed[] = ['kafka', 'schemaRegistry', 'redis'];

export const DEFAULT_TOPIC_PARTITIONS = 6;

/** CreateTopics' "use the broker's default.replication.factor". */
export const BROKER_DEFAULT_REPLICATION = -1;
