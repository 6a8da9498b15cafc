import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { readSchema } from '../shared/registry/schemas.js';
import { syncEventContract, type DraftOrderSyncEvent, type SyncOutcome } from './sync-event.js';

const schema = JSON.parse(readSchema(syncEventContract.schemaFile)) as avro.Schema;
// As @kafkajs/confluent-schema-registry builds it (AvroHelper.getAvroSchema, no extra options).
const type = avro.Type.forSchema(schema);

const full: DraftOrderSyncEvent = {
  eventId: '3f2a9c1e-0b7d-4e55-9a10-0c2e5d7f8a11',
  key: 'eu-brand.myshopify.com/draft/1152921504606846976',
  origin: { shop: 'eu-brand.myshopify.com', kind: 'draft', id: '1152921504606846976', name: '#D42' },
  connectionId: 'mainbrand<-eu-brand',
  sourceShop: 'mainbrand.myshopify.com',
  outcome: 'SKIPPED',
  reason: 'UNMAPPED',
  sourceDraftId: 'gid://shopify/DraftOrder/9',
  sourceDraftName: '#D9',
  version: '2026-01-01T10:00:00.000Z',
  missingVariants: ['4711', '4712'],
  occurredAt: '2026-01-01T10:00:01.234Z',
  recordSource: 'replay',
  versionClock: 'UPDATED_AT',
};

const roundTrip = (event: DraftOrderSyncEvent): unknown => type.fromBuffer(type.toBuffer(event));

describe('the sync event schema', () => {
  it('every field survives encode → decode', () => {
    expect({ ...(roundTrip(full) as object) }).toEqual(full);
  });

  it('nulls, an order origin and an empty list survive too', () => {
    const sparse: DraftOrderSyncEvent = {
      ...full,
      origin: { shop: 'eu-brand.myshopify.com', kind: 'order', id: '1', name: null },
      outcome: 'CREATED',
      reason: null,
      sourceDraftId: null,
      sourceDraftName: null,
      missingVariants: [],
      recordSource: 'webhook',
    };
    const decoded = roundTrip(sparse) as DraftOrderSyncEvent;
    expect({ ...decoded, origin: { ...decoded.origin } }).toEqual(sparse);
  });

  it('has exactly the fields of the model and every outcome symbol', () => {
    const record = schema as { fields: { name: string; type: unknown }[] };
    expect(record.fields.map((f) => f.name).sort()).toEqual(Object.keys(full).sort());
    const outcomes: readonly SyncOutcome[] = ['CREATED', 'UPDATED', 'RECREATED', 'DELETED', 'COMPLETED', 'SKIPPED', 'INVOICE_SENT', 'INVOICE_SKIPPED', 'FAILED'];
    for (const outcome of outcomes) expect(type.isValid({ ...full, outcome })).toBe(true);
    expect(type.isValid({ ...full, outcome: 'NOPE' })).toBe(false);
  });
});
