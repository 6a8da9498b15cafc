import { describe, expect, it } from 'vitest';
import { planSubscriptions, type ExistingSubscription } from './subscription-plan.js';

const CALLBACK = 'https://sync.example.com/webhooks/shopify';
const sub = (id: string, topic: string, uri = CALLBACK, extra: Partial<ExistingSubscription> = {}): ExistingSubscription => ({
  id: `gid://shopify/WebhookSubscription/${id}`,
  topic,
  uri,
  format: 'JSON',
  includeFields: [],
  apiVersion: '2026-10',
  ...extra,
});
const plan = (existing: ExistingSubscription[], topics = ['DRAFT_ORDERS_CREATE', 'DRAFT_ORDERS_UPDATE']) =>
  planSubscriptions({ existing, topics, callbackUrl: CALLBACK, apiVersion: '2026-10', webhookPath: '/webhooks/shopify' });

describe('planSubscriptions', () => {
  it('creates what is missing and leaves what is right', () => {
    const p = plan([sub('1', 'DRAFT_ORDERS_CREATE')]);
    expect(p.actions).toEqual([{ kind: 'create', topic: 'DRAFT_ORDERS_UPDATE', why: 'missing' }]);
    expect(p.topics).toEqual([
      { topic: 'DRAFT_ORDERS_CREATE', problems: [] },
      { topic: 'DRAFT_ORDERS_UPDATE', problems: ['not subscribed'] },
    ]);
  });

  it('plans nothing when everything is right (a second connect changes nothing)', () => {
    expect(plan([sub('1', 'DRAFT_ORDERS_CREATE'), sub('2', 'DRAFT_ORDERS_UPDATE')]).actions).toEqual([]);
  });

  it('moves ours from an old address (our webhook path on another host) and leaves other addresses alone', () => {
    const p = plan([sub('1', 'DRAFT_ORDERS_CREATE', 'https://old.example.com/webhooks/shopify'), sub('2', 'DRAFT_ORDERS_UPDATE'), sub('3', 'DRAFT_ORDERS_CREATE', 'https://crm.example.com/hooks')]);
    expect(p.actions).toEqual([{ kind: 'update', id: 'gid://shopify/WebhookSubscription/1', topic: 'DRAFT_ORDERS_CREATE', why: `address https://old.example.com/webhooks/shopify, expected ${CALLBACK}` }]);
    expect(p.foreign.map((f) => f.uri)).toEqual(['https://crm.example.com/hooks']);
  });

  it('deletes duplicates and ours for topics no longer needed, never a foreign one', () => {
    const p = plan([sub('1', 'DRAFT_ORDERS_CREATE'), sub('2', 'DRAFT_ORDERS_CREATE', 'https://old.example.com/webhooks/shopify'), sub('3', 'DRAFT_ORDERS_UPDATE'), sub('4', 'ORDERS_CREATE'), sub('5', 'ORDERS_CREATE', 'https://crm.example.com/hooks')]);
    expect(p.actions.map((a) => [a.kind, a.topic, 'id' in a ? a.id.split('/').pop() : null])).toEqual([
      ['delete', 'DRAFT_ORDERS_CREATE', '2'],
      ['delete', 'ORDERS_CREATE', '4'],
    ]);
  });

  it('replaces a subscription in another API version (a version cannot be updated) and fixes includeFields in place', () => {
    const p = plan([sub('1', 'DRAFT_ORDERS_CREATE', CALLBACK, { apiVersion: '2025-01' }), sub('2', 'DRAFT_ORDERS_UPDATE', CALLBACK, { includeFields: ['id', 'note'] })]);
    expect(p.actions.map((a) => a.kind)).toEqual(['delete', 'create', 'update']);
    expect(p.topics[1]!.problems[0]).toMatch(/includeFields \[id, note\] \(lacks updated_at: Shopify drops such deliveries as duplicates\)/);
  });
});
