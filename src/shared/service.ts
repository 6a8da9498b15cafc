// The shape services share: what each is given; what a Kafka-consuming one (mapper, writer) returns.
import type { Registry } from 'prom-client';
import type { AppConfig, InfraSettings, Names } from './config/index.js';
import type { Logger } from './log.js';

/** What every service is given. */
export interface ServiceOptions {
  readonly config: AppConfig;
  readonly infra: InfraSettings;
  /** Groups, transactional ids and Redis prefixes (src/shared/config/names.ts). */
  readonly names: Names;
  readonly logger: Logger;
  readonly metricsRegistry: Registry;
}

export interface ConsumerServiceOptions extends ServiceOptions {
  /** Ops HTTP server (/healthz, /readyz, /metrics); none when undefined. 0 = any free port. */
  readonly opsPort?: number;
  readonly opsHost?: string;
  /** Partitions processed at once. */
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
  /** Fetch size per partition, i.e. roughly the batch size. */
  readonly maxBytesPerPartition?: number;
}

export interface RunningConsumerService {
  /** `http://host:port` of the ops server, or null. */
  readonly opsUrl: string | null;
  ready(): Promise<boolean>;
  /** Graceful: stop consuming, finish in-flight work, commit, disconnect. */
  stop(): Promise<void>;
}
