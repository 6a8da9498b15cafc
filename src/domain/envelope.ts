// What a webhook is about: the topics the pipeline handles, the kind of record each names, the
// record's id (the raw topic's envelope itself is src/contracts/raw-envelope.ts).
import { parseBody } from './safe-json.js';
import { fail, ok, type Result } from './result.js';

export type EnvelopeOriginKind = 'draft' | 'order' | 'product';
export type EnvelopeSource = 'webhook' | 'backfill' | 'reconcile' | 'redrive';

/** The Shopify topics the pipeline handles, and the kind of origin record each is about. */
const HANDLED: Record<string, EnvelopeOriginKind> = {
  'draft_orders/create': 'draft',
  'draft_orders/update': 'draft',
  'draft_orders/delete': 'draft',
  'orders/create': 'order',
  'products/create': 'product',
  'products/update': 'product',
  'products/delete': 'product',
};

/** The origin kind of a handled topic; null for topics we acknowledge but do not process. */
export function originKindOf(topic: string): EnvelopeOriginKind | null {
  return HANDLED[topic.toLowerCase()] ?? null;
}

export function handledTopics(): string[] {
  return Object.keys(HANDLED);
}

/** The origin id a raw REST body is about (its top-level `id`), exact even above 2^53. */
export function originIdOf(body: Buffer): Result<string> {
  const parsed = parseBody(body);
  if (!parsed.ok) return fail(parsed.reason);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('body: expected a JSON object');
  const id = (value as Record<string, unknown>).id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return ok(String(id));
  if (typeof id === 'string' && /^[1-9]\d*$/.test(id)) return ok(id);
  return fail('body.id: expected a positive integer id');
}
