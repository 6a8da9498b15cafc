// Shapes of control-API request bodies. Draft inputs are not listed here: they are GraphQL
// DraftOrderInput objects, checked against the real schema's input type.
import { z } from 'zod';

const money = z.union([z.string(), z.number()]);

const scopes = z.array(z.string().min(1));

export const tokenBody = z.object({ accessToken: z.string().min(1).optional(), scopes: scopes.optional() });
export const scopesBody = z.object({ scopes });

export const limitsBody = z
  .object({ paginationLimit: z.number().int().positive().nullable(), webhookSubscriptionLimit: z.number().int().min(0) })
  .partial();

export const storeBody = z.object({
  shop: z.string().min(1),
  accessToken: z.string().optional(),
  scopes: scopes.optional(),
  accessTokens: z.array(z.object({ accessToken: z.string().min(1), scopes: scopes.optional() })).optional(),
  limits: limitsBody.optional(),
  webhookSecret: z.string().optional(),
  name: z.string().optional(),
  currency: z.string().length(3).optional(),
  timezoneOffsetMinutes: z.number().int().optional(),
  plan: z.enum(['standard', 'advanced', 'plus']).optional(),
  throttle: z
    .object({ maximumAvailable: z.number().positive(), restoreRate: z.number().positive(), timeScale: z.number().positive() })
    .partial()
    .optional(),
});

export const variantSeed = z.object({
  title: z.string().optional(),
  sku: z.string().nullable().optional(),
  barcode: z.string().nullable().optional(),
  price: money,
  compareAtPrice: money.nullable().optional(),
  options: z.array(z.string()).optional(),
  taxable: z.boolean().optional(),
  requiresShipping: z.boolean().optional(),
  grams: z.number().int().optional(),
  inventoryQuantity: z.number().int().optional(),
});

export const productSeed = z.object({
  title: z.string().min(1),
  handle: z.string().optional(),
  vendor: z.string().optional(),
  productType: z.string().optional(),
  status: z.enum(['ACTIVE', 'ARCHIVED', 'DRAFT']).optional(),
  tags: z.array(z.string()).optional(),
  options: z.array(z.string()).optional(),
  variants: z.array(variantSeed).min(1),
});

export const productPatch = z.object({
  title: z.string().optional(),
  handle: z.string().optional(),
  variants: z
    .array(z.object({ id: z.number(), sku: z.string().nullable().optional(), barcode: z.string().nullable().optional(), price: money.optional() }))
    .optional(),
});

export const customerSeed = z.object({
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  note: z.string().nullable().optional(),
});

const attribute = z.object({ key: z.string(), value: z.string() });

export const placeOrderBody = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  note: z.string().optional(),
  tags: z.array(z.string()).optional(),
  customAttributes: z.array(attribute).optional(),
  shippingAddress: z.record(z.string(), z.unknown()).optional(),
  billingAddress: z.record(z.string(), z.unknown()).optional(),
  lineItems: z
    .array(
      z.object({
        variantId: z.union([z.string(), z.number()]).optional(),
        quantity: z.number().int().positive(),
        title: z.string().optional(),
        sku: z.string().optional(),
        price: money.optional(),
        customAttributes: z.array(attribute).optional(),
      }),
    )
    .min(1),
});

export const subscriptionBody = z.object({
  topic: z.string(),
  uri: z.string(),
  includeFields: z.array(z.string()).optional(),
  name: z.string().optional(),
});

export const subscriptionPatch = z
  .object({ uri: z.string(), includeFields: z.array(z.string()).nullable(), name: z.string().nullable() })
  .partial();

export const throttleBody = z
  .object({
    maximumAvailable: z.number().positive(),
    restoreRate: z.number().positive(),
    timeScale: z.number().positive(),
    currentlyAvailable: z.number().min(0),
  })
  .partial();

export const faultsBody = z
  .object({
    latencyMs: z.number().min(0),
    latencyJitterMs: z.number().min(0),
    serverErrorRate: z.number().min(0).max(1),
    serverErrorStatus: z.number().int().min(500).max(599),
    dropRate: z.number().min(0).max(1),
    lostReplyRate: z.number().min(0).max(1),
    searchLagMs: z.number().min(0),
    seed: z.number().int(),
  })
  .partial();

export const failNextBody = z.object({
  kind: z.enum(['serverError', 'drop', 'lostReply']),
  count: z.number().int().positive().optional(),
  match: z.enum(['any', 'query', 'mutation']).optional(),
  status: z.number().int().min(500).max(599).optional(),
});

export const webhookFaultsBody = z
  .object({
    duplicateRate: z.number().min(0).max(1),
    dropRate: z.number().min(0).max(1),
    maxDelayMs: z.number().min(0),
    holdAll: z.boolean(),
    seed: z.number().int(),
  })
  .partial();

export const webhookNextBody = z.object({
  kind: z.enum(['drop', 'hold', 'duplicate']),
  count: z.number().int().positive().optional(),
});

export const webhookConfigBody = z
  .object({
    retryScale: z.number().positive(),
    retryDelaysMs: z.array(z.number().min(0)),
    timeoutMs: z.number().positive(),
    removeFailingSubscriptions: z.boolean(),
    debounceWindowMs: z.number().min(0),
  })
  .partial();

export const releaseBody = z.object({ shop: z.string().optional(), order: z.enum(['fifo', 'reverse']).optional() });
export const idleBody = z.object({ timeoutMs: z.number().positive().optional() });
export const invoiceBody = z.object({ to: z.string().optional(), subject: z.string().optional(), customMessage: z.string().optional() });
