// One place that builds kafkajs clients, so the client library could be swapped later.
import { Kafka, logLevel, Partitioners, type LogEntry, type Producer, type ProducerConfig } from 'kafkajs';
import type { Logger } from '../log.js';

/**
 * kafkajs warns about its v2 partitioner change at every producer that does not name one: ours
 * name the default (murmur2, Java-compatible), so records land where Java clients put them.
 */
class DefaultPartitionerKafka extends Kafka {
  override producer(config: ProducerConfig = {}): Producer {
    return super.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...config });
  }
}

export interface KafkaOptions {
  readonly brokers: readonly string[];
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

/**
 * Conditions kafkajs logs as errors although it retries them and they pass by themselves: a
 * group coordinator still loading or moving, leaders still being elected after a start. Logged
 * at debug; anything else keeps its level.
 */
const EXPECTED_WHILE_STARTING = [
  /coordinator is loading/i,
  /group coordinator is not available/i,
  /not the correct coordinator/i,
  /does not host this topic-partition/i,
  /leader(ship)? (is )?not available|There is no leader for this topic-partition/i,
  /rebalanc(e|ing) in progress/i,
  // CONCURRENT_TRANSACTIONS: the coordinator is still writing the previous transaction's markers
  // when the next one adds its partitions (back-to-back transactions of one transactional id, and
  // after a broker's return). kafkajs retries the send and it passes; the Java client does the same silently.
  /another concurrent operation on the same transaction was ongoing/i,
  // Said of every idempotent producer with bounded retries: ours are bounded on purpose (a
  // failure must surface, e.g. ingest answers 503), and acks=all plus idempotence keep order.
  /Limiting retries for the idempotent producer/i,
];

export function levelOf(level: number, message: string): 'error' | 'warn' | 'info' | 'debug' {
  const mapped = LEVELS[level] ?? 'info';
  if ((mapped === 'error' || mapped === 'warn') && EXPECTED_WHILE_STARTING.some((pattern) => pattern.test(message))) return 'debug';
  return mapped;
}

/**
 * kafkajs' retrier (connects, metadata, produce, the consumer's own restarts): exponential from
 * 100 ms, but never more than 1 s between attempts, so a broker that is back is used again within
 * a second (with a 5 s cap, a client in its longest waits found a returned broker up to 5 s late,
 * and nested retriers — runner over cluster connect — added those up). 20 retries keep the
 * patience before a failure surfaces about as before: ~17 s instead of ~16 s.
 */
export const KAFKA_RETRY = { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 } as const;

/** Only the bootstrap (src/shared/infra.ts) calls this. */
export function createKafka(opts: KafkaOptions): Kafka {
  const { logger } = opts;
  return new DefaultPartitionerKafka({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    connectionTimeout: opts.connectionTimeoutMs ?? 3000,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    retry: { ...KAFKA_RETRY, retries: opts.retries ?? KAFKA_RETRY.retries },
    // kafkajs logs through pino; its ERROR lines for retried, expected conditions are noisy, so WARN+ only.
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...extra } = entry.log;
      const errorText = typeof extra.error === 'string' ? extra.error : '';
      logger[levelOf(entry.level, `${message} ${errorText}`)]({ kafkajs: entry.namespace, ...extra }, message);
    },
  });
}
