import { describe, expect, it } from 'vitest';
import { webhookHmac } from './sign.js';

describe('webhook HMAC', () => {
  it('matches the SHOPIFY.md test vector', () => {
    expect(webhookHmac('test_client_secret', '{"id":1152921504606846976}')).toBe('XQt/p9MqK0QCLl1owcQiA63nskT01BVolQOMJPo9TBA=');
  });
});
