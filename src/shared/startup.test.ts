import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';
import { retriableAtStart, startOrExit } from './startup.js';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
const exit = (code: number): never => {
  throw new Exited(code);
};
const logger = createLogger('startup-test', 'silent');

describe('start-up against servers still coming up', () => {
  it('knows what passes by itself: kafkajs connection errors, retriable protocol errors, refused connections, wrapped or not', () => {
    expect(retriableAtStart(Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' }))).toBe(true);
    expect(retriableAtStart(Object.assign(new Error('not host'), { name: 'KafkaJSProtocolError', retriable: true }))).toBe(true);
    expect(retriableAtStart(new Error('wrapped', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(retriableAtStart(new Error('config: connections[0].source: unknown store'))).toBe(false);
  });

  it('retries retriable failures until start resolves', async () => {
    let calls = 0;
    const value = await startOrExit(logger, 'svc', async () => {
      if (++calls < 3) throw Object.assign(new Error('leader not available'), { name: 'KafkaJSProtocolError', retriable: true });
      return 'up';
    }, { exit });
    expect({ value, calls }).toEqual({ value: 'up', calls: 3 });
  });

  it('exits 1 at once on a failure that cannot pass, and at the deadline on one that does not', async () => {
    await expect(startOrExit(logger, 'svc', () => Promise.reject(new Error('bad config')), { exit })).rejects.toEqual(new Exited(1));
    await expect(startOrExit(logger, 'svc', () => Promise.reject(Object.assign(new Error('down'), { name: 'KafkaJSConnectionError' })), { exit, deadlineMs: 300 })).rejects.toEqual(new Exited(1));
  });
});
