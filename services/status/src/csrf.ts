// CSRF protection of the settings form: a signed double-submit token. The browser holds a
// random nonce in a SameSite=Strict, HttpOnly cookie; the form carries HMAC(secret, nonce),
// which only this server can make and only a page it served can read. A forged cross-site
// request has neither the cookie (SameSite) nor the token. The secret lives for the process:
// after a restart the page is reloaded for a new token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_COOKIE = 'dos_csrf';
const NONCE = /^[A-Za-z0-9_-]{22,64}$/;

export interface IssuedCsrf {
  readonly token: string;
  /** A Set-Cookie value when the browser had no valid nonce yet. */
  readonly setCookie: string | null;
}

export class CsrfGuard {
  private readonly secret = randomBytes(32);

  issue(cookieHeader: string | undefined): IssuedCsrf {
    const held = nonceOf(cookieHeader);
    const nonce = held ?? randomBytes(18).toString('base64url');
    return {
      token: this.sign(nonce),
      setCookie: held ? null : `${CSRF_COOKIE}=${nonce}; Path=/; HttpOnly; SameSite=Strict`,
    };
  }

  /** Constant-time; false without the cookie, without the token, or with another nonce's token. */
  verify(cookieHeader: string | undefined, presented: string | undefined): boolean {
    const nonce = nonceOf(cookieHeader);
    if (!nonce || !presented) return false;
    const expected = Buffer.from(this.sign(nonce));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret).update(nonce).digest('base64url');
  }
}

function nonceOf(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== CSRF_COOKIE) continue;
    const value = rest.join('=');
    return NONCE.test(value) ? value : null;
  }
  return null;
}
