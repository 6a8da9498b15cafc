import { describe, expect, it } from 'vitest';
import { mappedRecord, sourceDraft } from '../../../../test/support/mapped-fixtures.js';
import { fingerprintOf } from '../../../../src/domain/fingerprint.js';
import { NO_LINK, type Link } from '../../../../src/links/link.js';
import { decide, SKIP } from './decide.js';
import { compareVersions } from '../../../../src/domain/versions.js';

const linked: Link = { ...NO_LINK, sourceDraftId: 'gid://shopify/DraftOrder/1', sourceDraftName: '#D1', appliedVersion: '2026-01-01T10:00:00Z' };
const newer = '2026-01-01T11:00:00Z';

describe('decide', () => {
  it('creates when nothing is linked', () => {
    expect(decide(mappedRecord(), NO_LINK)).toEqual({ kind: 'create' });
  });

  it('updates a linked copy with a newer version', () => {
    expect(decide(mappedRecord({ version: newer }), linked)).toEqual({ kind: 'update', sourceDraftId: 'gid://shopify/DraftOrder/1' });
  });

  it('skips a version not newer than the applied one; forced, re-applies the applied one but never an older one', () => {
    expect(decide(mappedRecord({ version: '2026-01-01T10:00:00Z' }), linked)).toEqual({ kind: 'skip', reason: SKIP.STALE });
    expect(decide(mappedRecord({ version: '2026-01-01T09:00:00Z' }), linked)).toEqual({ kind: 'skip', reason: SKIP.STALE });
    expect(decide(mappedRecord({ version: '2026-01-01T10:00:00Z', force: true }), linked)).toMatchObject({ kind: 'update' });
    expect(decide(mappedRecord({ version: '2026-01-01T09:00:00Z', force: true }), linked)).toEqual({ kind: 'skip', reason: SKIP.STALE });
  });

  it('the applied version with other content is a tie to settle; with the same content, a duplicate', () => {
    const applied = mappedRecord({ version: '2026-01-01T10:00:00Z' });
    const withPrint: Link = { ...linked, fingerprint: fingerprintOf(applied.draft!) };
    expect(decide(applied, withPrint)).toEqual({ kind: 'skip', reason: SKIP.STALE });
    const other = mappedRecord({ version: '2026-01-01T10:00:00Z', draft: sourceDraft({ note: 'the same second, later' }) });
    expect(decide(other, withPrint)).toEqual({ kind: 'tie', sourceDraftId: 'gid://shopify/DraftOrder/1' });
    // Links written before fingerprints existed, and older versions, stay stale.
    expect(decide(other, linked)).toEqual({ kind: 'skip', reason: SKIP.STALE });
    expect(decide({ ...other, version: '2026-01-01T09:59:59Z' }, withPrint)).toEqual({ kind: 'skip', reason: SKIP.STALE });
  });

  it('a copy kept as edited in the source store is not updated, unless forced or the connection says overwrite', () => {
    const kept: Link = { ...linked, sourceEdited: 'KEPT' };
    expect(decide(mappedRecord({ version: newer, onSourceEdited: 'KEEP' }), kept)).toEqual({ kind: 'skip', reason: SKIP.SOURCE_KEPT });
    expect(decide(mappedRecord({ version: newer, onSourceEdited: 'FLAG' }), kept)).toEqual({ kind: 'skip', reason: SKIP.SOURCE_KEPT });
    expect(decide(mappedRecord({ version: newer, onSourceEdited: 'OVERWRITE' }), kept)).toMatchObject({ kind: 'update' });
    expect(decide(mappedRecord({ version: newer, onSourceEdited: 'KEEP', force: true }), kept)).toMatchObject({ kind: 'update' });
  });

  it('compares versions as instants across offsets', () => {
    expect(decide(mappedRecord({ version: '2026-01-01T11:00:00+01:00' }), linked)).toEqual({ kind: 'skip', reason: SKIP.STALE });
    expect(compareVersions('2026-01-01T12:00:01+01:00', '2026-01-01T11:00:00Z')).toBeGreaterThan(0);
  });

  it('passes SKIP records through with their reason', () => {
    expect(decide(mappedRecord({ action: 'SKIP', skipReason: 'UNMAPPED', draft: null }), NO_LINK)).toEqual({ kind: 'skip', reason: 'UNMAPPED' });
  });

  it('resolves a pending create intent before anything else', () => {
    expect(decide(mappedRecord(), { ...NO_LINK, createIntentAt: 5 })).toEqual({ kind: 'resolve-intent' });
  });

  it('deletes the linked copy; with no copy, records a tombstone', () => {
    expect(decide(mappedRecord({ action: 'DELETE', draft: null, version: newer }), linked)).toEqual({ kind: 'delete', sourceDraftId: 'gid://shopify/DraftOrder/1' });
    expect(decide(mappedRecord({ action: 'DELETE', draft: null }), NO_LINK)).toEqual({ kind: 'delete', sourceDraftId: null });
  });

  it('a tombstone skips later updates, even newer ones, unless a forced resync', () => {
    const tombstone: Link = { ...linked, status: 'DELETED', appliedVersion: '2026-01-02T00:00:00Z' };
    expect(decide(mappedRecord({ version: '2026-01-01T12:00:00Z' }), tombstone)).toEqual({ kind: 'skip', reason: SKIP.STALE });
    expect(decide(mappedRecord({ version: '2026-01-03T00:00:00Z' }), tombstone)).toEqual({ kind: 'skip', reason: SKIP.ORIGIN_DELETED });
    expect(decide(mappedRecord({ version: '2026-01-03T00:00:00Z', force: true }), tombstone)).toEqual({ kind: 'recreate' });
    // Replayed history of a deleted origin is older than its tombstone: forced or not, it stays deleted.
    expect(decide(mappedRecord({ version: '2026-01-01T12:00:00Z', force: true }), tombstone)).toEqual({ kind: 'skip', reason: SKIP.STALE });
  });

  it('completes by tag or delete per connection', () => {
    expect(decide(mappedRecord({ action: 'COMPLETE', version: newer }), linked)).toEqual({ kind: 'complete-tag', sourceDraftId: 'gid://shopify/DraftOrder/1' });
    expect(decide(mappedRecord({ action: 'COMPLETE', version: newer, onCompleted: 'DELETE' }), linked)).toEqual({
      kind: 'complete-delete',
      sourceDraftId: 'gid://shopify/DraftOrder/1',
    });
    expect(decide(mappedRecord({ action: 'COMPLETE' }), NO_LINK)).toEqual({ kind: 'skip', reason: SKIP.NO_SOURCE_COPY });
  });

  it('never touches a COMPLETED source copy again', () => {
    expect(decide(mappedRecord({ version: newer }), { ...linked, status: 'COMPLETED' })).toEqual({ kind: 'skip', reason: SKIP.SOURCE_COMPLETED });
  });

  it('fails an UPSERT without a draft as invalid input', () => {
    expect(decide(mappedRecord({ draft: null }), NO_LINK)).toMatchObject({ kind: 'fail' });
  });
});
