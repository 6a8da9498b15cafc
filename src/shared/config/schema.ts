// The configuration file's shape (YAML or JSON), validated with zod. Secrets are never in
// the file: it names the environment variables that hold them.
import { z } from 'zod';

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Connection ids end up inside Redis hash tags and Kafka headers: no braces, no spaces.
const CONNECTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const API_VERSION = /^\d{4}-(01|04|07|10)$|^unstable$/;

export const DEFAULT_API_VERSION = '2026-10';
export const DEFAULT_ORIGIN_TAG = 'From {shop}';

const shopDomain = z.string().regex(SHOP_DOMAIN, { error: 'expected a shop domain ending in .myshopify.com' });
const envName = z.string().regex(ENV_NAME, { error: 'expected an environment variable name' });

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
    } catch {
      return false;
    }
  },
  { error: 'expected an http(s) base URL without query or fragment' },
);

export const storeFileSchema = z.strictObject({
  shop: shopDomain,
  adminTokenEnv: envName,
  webhookSecretEnvs: z.array(envName).min(1, { error: 'expected at least one environment variable name' }),
  adminApiUrl: httpUrl.optional(),
  apiVersion: z.string().regex(API_VERSION, { error: 'expected an Admin API version such as 2026-10' }).default(DEFAULT_API_VERSION),
});

const originTag = z.union([
  z.literal(false),
  z.string().refine((format) => format.includes('{shop}'), { error: 'expected false or a format containing {shop}' }),
], { error: 'expected false or a format containing {shop}' });

export const connectionFileSchema = z.strictObject({
  id: z.string().regex(CONNECTION_ID, { error: 'expected 1-64 characters of A-Z a-z 0-9 . _ -' }),
  source: shopDomain,
  destination: shopDomain,
  draftOrderSync: z.boolean().default(true),
  orderTrigger: z.boolean().default(false),
  sendInvoice: z.boolean().default(false),
  originTag: originTag.default(DEFAULT_ORIGIN_TAG),
  variantMatch: z.enum(['sku', 'barcode', 'handle_options']).default('sku'),
  unmapped: z.enum(['skip', 'partial', 'custom']).default('skip'),
  prices: z.enum(['source', 'destination']).default('source'),
  onCompleted: z.enum(['tag', 'delete']).default('tag'),
  onSourceEdited: z.enum(['overwrite', 'keep', 'flag']).default('flag'),
});

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Shopify only delivers to https; http is accepted for loopback addresses (the simulator). */
const publicUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
      return secure && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  },
  { error: 'expected an https URL without query or fragment (http only for 127.0.0.1 / localhost)' },
);

export const ingestFileSchema = z.strictObject({
  /** Where Shopify reaches ingest; the webhook path is appended. */
  publicUrl: publicUrl.optional(),
  /** API version of the webhook subscriptions (payload shape); default each store's apiVersion. */
  webhookApiVersion: z.string().regex(API_VERSION, { error: 'expected an Admin API version such as 2026-10' }).optional(),
});

export const configFileSchema = z.strictObject({
  ingest: ingestFileSchema.default({}),
  stores: z.array(storeFileSchema).min(1, { error: 'expected at least one store' }),
  connections: z.array(connectionFileSchema),
});

export type StoreFileEntry = z.infer<typeof storeFileSchema>;
export type ConnectionFileEntry = z.infer<typeof connectionFileSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
