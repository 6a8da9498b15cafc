import { describe, expect, it } from 'vitest';
import type { ConnectionSettings } from '../domain/connection.js';
import { mappedRecord } from '../../test/support/mapped-fixtures.js';
import { judgeByLiveSettings } from './writer-judgement.js';

const connection: ConnectionSettings = {
  id: 'mainbrand<-eu-brand',
  sourceShop: 'mainbrand.myshopify.com',
  destinationShop: 'eu-brand.myshopify.com',
  draftOrderSync: true,
  orderTrigger: false,
  sendInvoice: true,
  originTag: 'From {shop}',
  variantMatch: 'sku',
  unmapped: 'skip',
  prices: 'source',
  onCompleted: 'delete',
  onSourceEdited: 'keep',
};

describe('judgeByLiveSettings', () => {
  it("takes the writer's choices from the settings in force, keeping the record otherwise", () => {
    const record = mappedRecord({ sendInvoice: false, onCompleted: 'TAG', onSourceEdited: 'OVERWRITE' });
    expect(judgeByLiveSettings(record, connection)).toEqual({ ...record, sendInvoice: true, onCompleted: 'DELETE', onSourceEdited: 'KEEP' });
  });

  it('turns a record mapped before sync was switched off into that skip', () => {
    const record = mappedRecord({ action: 'UPSERT' });
    expect(judgeByLiveSettings(record, { ...connection, draftOrderSync: false })).toMatchObject({ action: 'SKIP', skipReason: 'SYNC_DISABLED', draft: null, missingVariants: [], key: record.key, version: record.version });
    const order = mappedRecord({ origin: { ...record.origin, kind: 'order' }, action: 'UPSERT' });
    expect(judgeByLiveSettings(order, connection)).toMatchObject({ action: 'SKIP', skipReason: 'ORDER_TRIGGER_OFF' });
  });

  it('leaves skips as the mapper decided them, and records of no known connection alone', () => {
    const skipped = mappedRecord({ action: 'SKIP', skipReason: 'UNMAPPED', draft: null, missingVariants: ['1'] });
    expect(judgeByLiveSettings(skipped, { ...connection, draftOrderSync: false })).toMatchObject({ skipReason: 'UNMAPPED', missingVariants: ['1'] });
    const record = mappedRecord();
    expect(judgeByLiveSettings(record, undefined)).toBe(record);
  });
});
