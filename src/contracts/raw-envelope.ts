// The raw topic's value (schemas/raw-webhook-envelope.avsc): a verified webhook — or a
// backfill, reconcile or redrive record — exactly as received. Keyed {shop}/{kind}/{id}.
import type { EnvelopeOriginKind, EnvelopeSource } from '../domain/envelope.js';
import { fail, ok } from '../domain/result.js';
import { asIs, isRecord, type TopicContract } from './topic-contract.js';

export type { EnvelopeOriginKind, EnvelopeSource } from '../domain/envelope.js';

/** Mirrors schemas/raw-webhook-envelope.avsc. */
export interface RawWebhookEnvelope {
  readonly id: string;
  readonly eventId: string | null;
  readonly topic: string;
  readonly shop: string;
  readonly apiVersion: string | null;
  readonly triggeredAt: string | null;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
  readonly originKind: EnvelopeOriginKind;
  readonly originId: string;
  readonly source: EnvelopeSource;
  readonly force: boolean;
  readonly body: Buffer;
  readonly bodyFormat: 'rest' | 'graphql';
}

export const rawEnvelopeContract: TopicContract<RawWebhookEnvelope> = {
  topic: 'raw',
  schemaFile: 'raw-webhook-envelope.avsc',
  recordType: 'RawWebhookEnvelope',
  // The fields the mapper relies on.
  read: (decoded) => {
    if (!isRecord(decoded) || typeof decoded.topic !== 'string' || typeof decoded.shop !== 'string' || !Buffer.isBuffer(decoded.body)) {
      return fail('value: decoded record is not a RawWebhookEnvelope');
    }
    return ok(decoded as unknown as RawWebhookEnvelope);
  },
  write: asIs,
};

type Required = Pick<RawWebhookEnvelope, 'id' | 'topic' | 'shop' | 'originKind' | 'originId' | 'body'>;

/** An envelope with the defaults of a webhook (REST body, not forced, received now). */
export function rawEnvelope(fields: Required & Partial<RawWebhookEnvelope>): RawWebhookEnvelope {
  return {
    eventId: null,
    apiVersion: null,
    triggeredAt: null,
    receivedAt: Date.now(),
    source: 'webhook',
    force: false,
    bodyFormat: 'rest',
    ...fields,
  };
}
