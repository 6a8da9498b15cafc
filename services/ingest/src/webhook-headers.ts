// Shopify's webhook headers, case-insensitive, with or without the `X-` of newer Events deliveries.
import type { IncomingHttpHeaders } from 'node:http';
import { fail, ok, type Result } from '../../../src/domain/result.js';

export interface WebhookHeaders {
  readonly hmac: string;
  readonly topic: string;
  readonly shop: string;
  readonly apiVersion: string;
  readonly webhookId: string;
  readonly eventId: string | null;
  readonly triggeredAt: string | null;
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  // Node lower-cases header names.
  const value = headers[`x-shopify-${name}`] ?? headers[`shopify-${name}`];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : null;
}

const REQUIRED = ['hmac-sha256', 'topic', 'shop-domain', 'api-version', 'webhook-id'] as const;

/** The headers we need; a missing required one is named in the reason (answered 400). */
export function readWebhookHeaders(headers: IncomingHttpHeaders): Result<WebhookHeaders> {
  const missing = REQUIRED.filter((n) => header(headers, n) === null);
  if (missing.length > 0) return fail(`missing header(s): ${missing.map((n) => `X-Shopify-${n}`).join(', ')}`);
  return ok({
    hmac: header(headers, 'hmac-sha256') ?? '',
    topic: (header(headers, 'topic') ?? '').toLowerCase(),
    shop: (header(headers, 'shop-domain') ?? '').toLowerCase(),
    apiVersion: header(headers, 'api-version') ?? '',
    webhookId: header(headers, 'webhook-id') ?? '',
    eventId: header(headers, 'event-id'),
    triggeredAt: header(headers, 'triggered-at'),
  });
}
