import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { levelOf } from './client.js';

describe("kafkajs' log levels", () => {
  it('logs the retried conditions of a healthy start at debug, everything else at its own level', () => {
    expect(levelOf(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2) The coordinator is loading and hence can\'t process requests')).toBe('debug');
    expect(levelOf(logLevel.ERROR, '[Connection] Response FindCoordinator The group coordinator is not available')).toBe('debug');
    expect(levelOf(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded')).toBe('error');
    expect(levelOf(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees')).toBe('debug');
    expect(levelOf(logLevel.WARN, 'Unknown error while connecting')).toBe('warn');
  });
});
