// Shopify webhook signatures: base64 HMAC-SHA256 of the raw body bytes with the app secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

const DIGEST_BYTES = 32;

/**
 * True when the header is the signature of `rawBody` under any of the shop's secrets
 * (several while a secret rotates). Compared in constant time after a length check.
 */
export function verifyShopifyHmac(rawBody: Buffer, headerValue: string, secrets: readonly string[]): boolean {
  const given = Buffer.from(headerValue, 'base64');
  if (given.length !== DIGEST_BYTES) return false;
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // No early exit: the time taken does not tell which secret (if any) matched.
    if (timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}
