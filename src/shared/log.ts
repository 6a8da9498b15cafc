// JSON logs (pino) with secrets redacted wherever they could appear.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths that may hold secrets: never written to a log. */
const REDACT = [
  'secret',
  'secrets',
  'token',
  'accessToken',
  'adminApiToken',
  'webhookSecrets',
  'writeTokens',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.accessToken',
  '*.adminApiToken',
  '*.webhookSecrets',
  '*.writeTokens',
  'headers["x-shopify-hmac-sha256"]',
  'headers["x-shopify-access-token"]',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-shopify-access-token"]',
  'req.headers.authorization',
  'headers.authorization',
];

/** `level`: the settings' logLevel, else the entry point's default. */
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service } });
}
