import { describe, expect, it } from 'vitest';
import { getHmac } from '@shopify/shopify-api/test-helpers';
import { verifyShopifyHmac } from './hmac.js';

describe('verifyShopifyHmac', () => {
  it("verifies SHOPIFY.md's test vector", () => {
    const body = Buffer.from('{"id":1152921504606846976}');
    expect(verifyShopifyHmac(body, 'XQt/p9MqK0QCLl1owcQiA63nskT01BVolQOMJPo9TBA=', ['test_client_secret'])).toBe(true);
  });

  it('agrees with the signature @shopify/shopify-api computes', () => {
    const body = '{"id":7,"note":"café ☕"}';
    expect(verifyShopifyHmac(Buffer.from(body), getHmac(body, 's3cret'), ['s3cret'])).toBe(true);
  });

  it('rejects a forged or truncated signature, a wrong secret and a body changed by one byte', () => {
    const body = Buffer.from('{"id":1}');
    const good = getHmac(body.toString(), 'secret-a');
    expect(verifyShopifyHmac(body, good, ['secret-b'])).toBe(false);
    expect(verifyShopifyHmac(Buffer.from('{"id":2}'), good, ['secret-a'])).toBe(false);
    expect(verifyShopifyHmac(body, good.slice(0, -4), ['secret-a'])).toBe(false);
    expect(verifyShopifyHmac(body, 'not base64 at all', ['secret-a'])).toBe(false);
    expect(verifyShopifyHmac(body, good, [])).toBe(false);
  });

  it('accepts any of the secrets of a rotation', () => {
    const body = Buffer.from('{"id":3}');
    expect(verifyShopifyHmac(body, getHmac(body.toString(), 'new'), ['old', 'new'])).toBe(true);
    expect(verifyShopifyHmac(body, getHmac(body.toString(), 'old'), ['old', 'new'])).toBe(true);
  });
});
