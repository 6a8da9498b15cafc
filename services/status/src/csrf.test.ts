import { describe, expect, it } from 'vitest';
import { CSRF_COOKIE, CsrfGuard } from './csrf.js';

describe('CsrfGuard', () => {
  it('accepts the token issued for the cookie it set, and nothing else', () => {
    const guard = new CsrfGuard();
    const first = guard.issue(undefined);
    expect(first.setCookie).toMatch(new RegExp(`^${CSRF_COOKIE}=[A-Za-z0-9_-]+; Path=/; HttpOnly; SameSite=Strict$`));
    const cookie = first.setCookie!.split(';')[0]!;
    expect(guard.verify(cookie, first.token)).toBe(true);
    // The same browser keeps its nonce.
    expect(guard.issue(`other=1; ${cookie}`)).toEqual({ token: first.token, setCookie: null });
    expect(guard.verify(undefined, first.token)).toBe(false);
    expect(guard.verify(cookie, undefined)).toBe(false);
    expect(guard.verify(cookie, first.token.slice(1))).toBe(false);
    const other = guard.issue(undefined);
    expect(guard.verify(cookie, other.token)).toBe(false);
    // Another process (another secret) never accepts it.
    expect(new CsrfGuard().verify(cookie, first.token)).toBe(false);
  });
});
