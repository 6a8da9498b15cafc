import { describe, expect, it } from 'vitest';
import { isLoopback, presentedToken, tokenMatches, tokenPolicy } from './auth.js';

describe('status page auth', () => {
  it('needs a token only off loopback', () => {
    for (const host of ['127.0.0.1', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'status.internal']) expect(isLoopback(host)).toBe(false);
    expect(tokenPolicy('127.0.0.1', undefined)).toBeNull();
    expect(tokenPolicy('127.0.0.1', 's3cret')).toBe('s3cret');
    expect(() => tokenPolicy('0.0.0.0', undefined)).toThrow(/needs a token/);
    expect(() => tokenPolicy('0.0.0.0', '  ')).toThrow(/needs a token/);
    expect(tokenPolicy('0.0.0.0', 's3cret')).toBe('s3cret');
  });

  it('reads Bearer first, then ?token=', () => {
    expect(presentedToken('Bearer abc', { token: 'q' })).toBe('abc');
    expect(presentedToken(undefined, { token: 'q' })).toBe('q');
    expect(presentedToken('Basic xyz', {})).toBeNull();
    expect(presentedToken(undefined, { token: ['a', 'b'] })).toBeNull();
  });

  it('compares tokens of any length', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches(null, 'abc')).toBe(false);
  });
});
