// One place that builds kafkajs clients, so the client library could be swapped later.
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../log.js';

// kafkajs warns about its v2 partitioner change at every producer; we use the default (murmur2, Java-compatible).
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export interface KafkaOptions {
  readonly brokers: string;
  readonly clientId: string;
  readonly logger?: Logger;
  /** Retries of kafkajs' own retrier for metadata/connect; low for fail-fast paths. */
  readonly retries?: number;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(opts: KafkaOptions): Kafka {
  const { logger } = opts;
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers.split(',').map((b) => b.trim()),
    connectionTimeout: opts.connectionTimeoutMs ?? 3000,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    retry: { retries: opts.retries ?? 8, initialRetryTime: 100, maxRetryTime: 5000 },
    // kafkajs logs through pino; its ERROR lines for retried, expected conditions are noisy, so WARN+ only.
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...extra } = entry.log;
      logger[LEVELS[entry.level] ?? 'info']({ kafkajs: entry.namespace, ...extra }, message);
    },
  });
}
