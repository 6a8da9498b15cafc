import { describe, expect, it } from 'vitest';
import { followUps } from './follow-ups.js';
import type { HistoryEntry } from './history.js';

const connection = { id: 'eu', destinationShop: 'eu.myshopify.com' };
const change = (field: string, to: string, at: string): HistoryEntry => ({ connectionId: 'eu', revision: 1, field, from: null, to, by: 'x', at });

describe('followUps', () => {
  it('offers the backfill from the last time sync was switched off', () => {
    const history = [change('draftOrderSync', 'no', '2026-01-01T00:00:00.000Z'), change('draftOrderSync', 'yes', '2026-01-02T00:00:00.000Z'), change('draftOrderSync', 'no', '2026-01-03T00:00:00.000Z')];
    expect(followUps(connection, [{ field: 'draftOrderSync', from: false, to: true }], history)).toEqual([
      { kind: 'backfill', why: expect.stringMatching(/^Sync was off/), command: 'npm run draft-sync -- backfill --shop eu.myshopify.com --since 2026-01-03T00:00:00.000Z' },
    ]);
    expect(followUps(connection, [{ field: 'draftOrderSync', from: false, to: true }], [])[0]!.command).toBe('npm run draft-sync -- backfill --shop eu.myshopify.com');
  });

  it('asks for the orders webhook and for rebuilt mappings when those changes need them, and for nothing otherwise', () => {
    const steps = followUps(connection, [{ field: 'orderTrigger', from: false, to: true }, { field: 'variantMatch', from: 'sku', to: 'barcode' }], []);
    expect(steps.map((s) => s.kind)).toEqual(['subscribe', 'rebuild-mappings']);
    expect(steps[1]!.command).toBe('npm run draft-sync -- mappings build --connection eu');
    expect(followUps(connection, [{ field: 'draftOrderSync', from: true, to: false }, { field: 'sendInvoice', from: false, to: true }], [])).toEqual([]);
  });
});
