import { describe, expect, it } from 'vitest';
import { noteWebhook, type LastWebhooks } from './last-webhook.js';

describe('noteWebhook', () => {
  it('keeps the newest webhook per shop and ignores records that did not come in as webhooks', () => {
    const last: LastWebhooks = {};
    noteWebhook(last, { source: 'webhook', shop: 'EU-brand.myshopify.com', receivedAt: 2000 });
    noteWebhook(last, { source: 'webhook', shop: 'eu-brand.myshopify.com', receivedAt: 1000 });
    noteWebhook(last, { source: 'backfill', shop: 'eu-brand.myshopify.com', receivedAt: 9000 });
    noteWebhook(last, { source: 'redrive', shop: 'us-brand.myshopify.com', receivedAt: 9000 });
    expect(last).toEqual({ 'eu-brand.myshopify.com': 2000 });
  });
});
