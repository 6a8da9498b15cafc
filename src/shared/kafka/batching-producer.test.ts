import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { brokenProducer } from './batching-producer.js';

/** What kafkajs' response decoder builds from an error code (its createErrorFromCode is not public). */
function protocolError(type: string, code: number): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(type), { type, code, retriable: false }));
}

describe('brokenProducer', () => {
  it('tells an idempotent producer whose sequence the broker refuses from passing failures', () => {
    const outOfOrder = protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
    expect(brokenProducer(outOfOrder)).toBe(true);
    // As a send rejects after kafkajs' retrier gave up: the protocol error is the cause.
    expect(brokenProducer(Object.assign(new KafkaJSNonRetriableError(outOfOrder), { cause: outOfOrder }))).toBe(true);
    expect(brokenProducer(protocolError('UNKNOWN_PRODUCER_ID', 59))).toBe(true);
    expect(brokenProducer(protocolError('NOT_LEADER_FOR_PARTITION', 6))).toBe(false);
    expect(brokenProducer(new Error('no acknowledgement within 3000 ms'))).toBe(false);
    expect(brokenProducer(undefined)).toBe(false);
  });
});
