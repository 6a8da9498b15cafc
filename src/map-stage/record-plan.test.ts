import { describe, expect, it } from 'vitest';
import { rawEnvelope } from '../contracts/raw-envelope.js';
import { mapDraft } from '../domain/map-draft.js';
import { resolveConfig } from '../shared/config/index.js';
import { fixtureText } from '../../test/support/fixtures.js';
import { planEnvelope } from './record-plan.js';

const EU = 'eu-brand.myshopify.com';
const config = resolveConfig(
  {
    stores: [
      { shop: 'main.myshopify.com', adminTokenEnv: 'T_MAIN', webhookSecretEnvs: ['S_MAIN'] },
      { shop: EU, adminTokenEnv: 'T_EU', webhookSecretEnvs: ['S_EU'] },
    ],
    connections: [{ id: 'eu', source: 'main.myshopify.com', destination: EU, orderTrigger: true }],
  },
  { T_MAIN: 't', S_MAIN: 's', T_EU: 't', S_EU: 's' },
);

function orderWithoutUpdatedAt(): Buffer {
  const body = fixtureText('rest-order-seed.json').replace(/"updated_at":\s*"[^"]*",?/, '');
  if (body.includes('updated_at')) throw new Error('fixture still has updated_at');
  return Buffer.from(body);
}

function mappedOf(triggeredAt: string | null, receivedAt: number) {
  const envelope = rawEnvelope({ id: 'w1', topic: 'orders/create', shop: EU, originKind: 'order', originId: '820982911946154508', body: orderWithoutUpdatedAt(), triggeredAt, receivedAt });
  const plan = planEnvelope(envelope, config);
  if (plan.kind !== 'map') throw new Error(`expected a map plan, got ${plan.kind}`);
  return mapDraft(plan.canonical, plan.connection, new Map([['45000000000002', '1']]), plan.ctx);
}

describe('planEnvelope: the version of a body without updated_at', () => {
  it("is the webhook's X-Shopify-Triggered-At, and the record says so", () => {
    const mapped = mappedOf('2026-03-02T09:00:05.123Z', Date.UTC(2026, 2, 2, 9, 0, 7));
    expect(mapped).toMatchObject({ action: 'UPSERT', version: '2026-03-02T09:00:05.123Z', versionClock: 'TRIGGERED_AT' });
  });

  it('is the receive time when Shopify gave no time', () => {
    const mapped = mappedOf(null, Date.UTC(2026, 2, 2, 9, 0, 7));
    expect(mapped).toMatchObject({ action: 'UPSERT', version: '2026-03-02T09:00:07.000Z', versionClock: 'RECEIVED_AT' });
  });

  it('is the body\'s updated_at whenever there is one', () => {
    const envelope = rawEnvelope({ id: 'w2', topic: 'orders/create', shop: EU, originKind: 'order', originId: '820982911946154508', body: Buffer.from(fixtureText('rest-order-seed.json')), triggeredAt: '2026-03-02T09:00:05.123Z' });
    const plan = planEnvelope(envelope, config);
    if (plan.kind !== 'map') throw new Error('expected a map plan');
    expect(mapDraft(plan.canonical, plan.connection, new Map(), plan.ctx)).toMatchObject({ version: '2026-03-02T09:00:01.000Z', versionClock: 'UPDATED_AT' });
  });
});
