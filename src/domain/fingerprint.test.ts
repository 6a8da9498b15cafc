import { describe, expect, it } from 'vitest';
import { sourceDraft } from '../../test/support/mapped-fixtures.js';
import { fingerprintOf } from './fingerprint.js';

describe('fingerprintOf', () => {
  it('is equal for equal content, whatever the key order, and differs on any change', () => {
    const draft = sourceDraft({ note: 'first' });
    const reordered = Object.fromEntries(Object.entries(draft).reverse()) as typeof draft;
    expect(fingerprintOf(reordered)).toBe(fingerprintOf(draft));
    expect(fingerprintOf({ ...draft, note: 'second' })).not.toBe(fingerprintOf(draft));
    expect(fingerprintOf({ ...draft, lines: [...draft.lines, ...draft.lines] })).not.toBe(fingerprintOf(draft));
  });
});
