// Envelopes for the raw topic made by the operator commands rather than by webhooks: the
// mapper treats them like webhooks (GraphQL bodies it normalises, REST-shaped delete bodies).
import { randomUUID } from 'node:crypto';
import type { RawWebhookEnvelope } from '../contracts/raw-envelope.js';
import type { OriginKind } from '../domain/model.js';
import type { DestinationRecord } from './destination.js';

export type FeedSource = 'backfill' | 'reconcile';

/** Webhook topic of the same meaning, so consumers and metrics see familiar names. */
const UPSERT_TOPIC: Record<OriginKind, string> = { draft: 'draft_orders/update', order: 'orders/create' };

export function recordEnvelope(shop: string, record: DestinationRecord, source: FeedSource, apiVersion: string, now = Date.now()): RawWebhookEnvelope {
  return {
    id: `${source}-${randomUUID()}`,
    eventId: null,
    topic: UPSERT_TOPIC[record.kind],
    shop,
    apiVersion,
    triggeredAt: null,
    receivedAt: now,
    originKind: record.kind,
    originId: record.id,
    source,
    force: false,
    body: Buffer.from(JSON.stringify(record.node)),
    bodyFormat: 'graphql',
  };
}

/** A draft found gone without its delete webhook: the delete's version is when we noticed. */
export function draftDeleteEnvelope(shop: string, id: string, source: FeedSource, apiVersion: string, now = Date.now()): RawWebhookEnvelope {
  return {
    id: `${source}-${randomUUID()}`,
    eventId: null,
    topic: 'draft_orders/delete',
    shop,
    apiVersion,
    triggeredAt: new Date(now).toISOString(),
    receivedAt: now,
    originKind: 'draft',
    originId: id,
    source,
    force: false,
    body: Buffer.from(`{"id":${id}}`),
    bodyFormat: 'rest',
  };
}
