// Starting a service against servers that may still be coming up (a broker electing leaders,
// a registry still booting): failures a later attempt can get past are retried until a deadline;
// anything else, or the deadline, ends the process with the reason logged — never with an
// unhandled rejection (which a supervisor only sees as a crash without a word).
import type { Logger } from './log.js';
import { backoffDelay, sleep } from './retry.js';

/** kafkajs' names for conditions that pass by themselves (broker down or starting, metadata not there yet). */
const PASSING = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** Whether this error, or one it wraps, is worth another start attempt. */
export function retriableAtStart(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as { name?: unknown; retriable?: unknown; code?: unknown; cause?: unknown; originalError?: unknown };
  if (e.retriable === true) return true;
  if (typeof e.name === 'string' && PASSING.has(e.name)) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  return retriableAtStart(e.cause, depth + 1) || retriableAtStart(e.originalError, depth + 1);
}

export interface StartOptions {
  /** How long to keep trying (default 120 s). */
  readonly deadlineMs?: number;
  /** Ends the process; a test passes its own. */
  readonly exit?: (code: number) => never;
}

let rejectionsLogged = false;

/** Runs `start` until it resolves; a failure that cannot pass, or the deadline, logs and exits 1. */
export async function startOrExit<T>(logger: Logger, what: string, start: () => Promise<T>, opts: StartOptions = {}): Promise<T> {
  const exit = opts.exit ?? ((code: number): never => process.exit(code));
  if (!opts.exit && !rejectionsLogged) {
    rejectionsLogged = true;
    // Through the logger (redacted, JSON) rather than Node's raw stderr dump; still fatal.
    process.on('unhandledRejection', (reason) => {
      logger.fatal({ err: reason }, 'unhandled rejection; exiting');
      process.exit(1);
    });
  }
  const deadline = Date.now() + (opts.deadlineMs ?? 120_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!retriableAtStart(error) || Date.now() >= deadline) {
        logger.fatal({ err: error, attempt }, `${what} could not start`);
        return exit(1);
      }
      const delay = backoffDelay({ baseDelayMs: 250, maxDelayMs: 5000 }, attempt);
      logger.warn({ err: error, attempt, retryInMs: delay }, `${what} could not start yet; retrying`);
      await sleep(delay);
    }
  }
}
