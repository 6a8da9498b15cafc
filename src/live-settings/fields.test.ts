import { describe, expect, it } from 'vitest';
import { diffSettings, liveSettingsOf, parseChanges, showValue, type LiveSettings } from './fields.js';
import { fromRecord, toRecord } from './record.js';
import { effectiveConfig, fileDrift } from './effective.js';
import { parseConfigText } from '../shared/config/index.js';

/** A connection with the file's defaults. */
function fileWith(extra: Record<string, unknown> = {}) {
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: 'a.myshopify.com', adminTokenEnv: 'T', webhookSecretEnvs: ['S'] },
        { shop: 'b.myshopify.com', adminTokenEnv: 'T', webhookSecretEnvs: ['S'] },
      ],
      connections: [{ id: 'eu', source: 'a.myshopify.com', destination: 'b.myshopify.com', ...extra }],
    }),
    { T: 't', S: 's' },
    'json',
  );
}
const base: LiveSettings = liveSettingsOf(fileWith().connections[0]!);

describe('parseChanges', () => {
  it('reads the words a form or command line gives', () => {
    expect(parseChanges({ draftOrderSync: 'no', sendInvoice: 'yes', originTag: 'off', unmapped: 'partial' })).toEqual({
      ok: true,
      changes: { draftOrderSync: false, sendInvoice: true, originTag: false, unmapped: 'partial' },
    });
    expect(parseChanges({ orderTrigger: true, originTag: 'Via {shop}' })).toEqual({ ok: true, changes: { orderTrigger: true, originTag: 'Via {shop}' } });
  });

  it('refuses the whole set when any value is invalid, naming each field', () => {
    const parsed = parseChanges({ sendInvoice: 'yes', unmapped: 'drop', originTag: 'no placeholder', colour: 'red', draftOrderSync: 'perhaps' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.field)).toEqual(['unmapped', 'originTag', 'colour', 'draftOrderSync']);
    expect(parsed.problems[0]!.message).toBe('expected one of skip|partial|custom');
    expect(parsed.problems[1]!.message).toMatch(/\{shop\}/);
    expect(parsed.problems[2]!.message).toMatch(/not a connection setting/);
  });
});

describe('settings records', () => {
  it('round-trip, with no origin tag as null on the wire', () => {
    const record = toRecord('eu', 3, { ...base, originTag: false }, 'alice', 1_700_000_000_000);
    expect(record.originTag).toBeNull();
    const entry = fromRecord(record, 7n);
    expect(entry).toEqual({ ok: true, value: { connectionId: 'eu', revision: 3, settings: { ...base, originTag: false }, changedAt: 1_700_000_000_000, changedBy: 'alice', offset: 7n } });
  });

  it('refuses a record whose values break the file rules', () => {
    const entry = fromRecord({ ...toRecord('eu', 2, base, 'x', 0), unmapped: 'drop' }, 1n);
    expect(entry).toEqual({ ok: false, reason: 'connection eu revision 2: unmapped: expected one of skip|partial|custom' });
  });

  it('diffs field by field, and shows values in plain words', () => {
    expect(diffSettings(base, { ...base, sendInvoice: true, originTag: false })).toEqual([
      { field: 'sendInvoice', from: false, to: true },
      { field: 'originTag', from: 'From {shop}', to: false },
    ]);
    expect(diffSettings(null, base)).toHaveLength(9);
    expect(showValue('originTag', false)).toBe('off');
    expect(showValue('sendInvoice', true)).toBe('yes');
  });
});

describe('effective configuration', () => {
  const file = fileWith({ sendInvoice: true });

  it('takes the live settings over the file and reports where the file says otherwise', () => {
    const entry = { connectionId: 'eu', revision: 4, settings: { ...base, draftOrderSync: false }, changedAt: Date.UTC(2026, 0, 2), changedBy: 'ops', offset: 9n };
    const entries = new Map([['eu', entry]]);
    const live = effectiveConfig(file, entries);
    expect(live.connections[0]).toMatchObject({ id: 'eu', sourceShop: 'a.myshopify.com', draftOrderSync: false, sendInvoice: false });
    expect(fileDrift(file, entries)).toEqual([
      'connection eu: draftOrderSync is yes in the configuration file but no in the live settings (revision 4, by ops at 2026-01-02T00:00:00.000Z); the live value applies',
      'connection eu: sendInvoice is yes in the configuration file but no in the live settings (revision 4, by ops at 2026-01-02T00:00:00.000Z); the live value applies',
    ]);
    expect(effectiveConfig(file, new Map())).toEqual(file);
  });
});
