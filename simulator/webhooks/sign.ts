// X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the exact raw body bytes, keyed with the app's
// client secret.
import { createHmac } from 'node:crypto';

export function webhookHmac(secret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}
