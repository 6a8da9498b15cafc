// What one raw envelope asks the mapper to do (pure): map a draft/order (after a variant
// lookup), emit a delete, apply a product change to the mappings, or dead-letter it.
import type { ConnectionSettings } from '../domain/connection.js';
import { originKindOf } from '../domain/envelope.js';
import { type RawWebhookEnvelope } from '../contracts/raw-envelope.js';
import { mapDelete, type EnvelopeTime, type MapContext } from '../domain/map-draft.js';
import type { CanonicalDraft, MappedDraftOrder, OriginKind, RecordSource } from '../domain/model.js';
import { normalizeGraphqlDraft, normalizeGraphqlOrder } from '../domain/normalize-graphql.js';
import { normalizeRestDraft, normalizeRestOrder, parseDeleteBody } from '../domain/normalize-rest.js';
import { normalizeRestProduct, type VariantKeys } from '../domain/product.js';
import type { Result } from '../domain/result.js';
import { parseBody } from '../domain/safe-json.js';
import { productChangeTargets, type StoreSide } from '../variant-mappings/index.js';
import { findConnectionByDestination, type AppConfig } from '../shared/config/index.js';

/** Why a record went to the DLQ, as a metric label; the full reason travels in the letter. */
export type DeadLetterClass = 'decode' | 'unhandled_topic' | 'unknown_shop' | 'invalid_body' | 'key_mismatch' | 'encode';

export type RecordPlan =
  /** Needs the batch's variant lookup, then mapDraft. */
  | { readonly kind: 'map'; readonly canonical: CanonicalDraft; readonly connection: ConnectionSettings; readonly ctx: MapContext }
  /** Already decided (deletes need no lookup). */
  | { readonly kind: 'emit'; readonly mapped: MappedDraftOrder }
  | {
      readonly kind: 'product';
      readonly productId: string;
      /** Empty when the product was deleted. */
      readonly variants: readonly VariantKeys[];
      readonly targets: readonly { readonly connection: ConnectionSettings; readonly side: StoreSide }[];
    }
  | { readonly kind: 'dead'; readonly class: DeadLetterClass; readonly reason: string };

const RECORD_SOURCE: Record<RawWebhookEnvelope['source'], RecordSource> = {
  webhook: 'webhook',
  backfill: 'backfill',
  reconcile: 'reconcile',
  redrive: 'redrive',
};

function dead(cls: DeadLetterClass, reason: string): RecordPlan {
  return { kind: 'dead', class: cls, reason };
}

export function planEnvelope(envelope: RawWebhookEnvelope, config: AppConfig): RecordPlan {
  const topic = envelope.topic.toLowerCase();
  // Backfill/reconcile records may carry a synthetic topic: their originKind then decides.
  const kind = originKindOf(topic) ?? (envelope.source === 'webhook' ? null : envelope.originKind);
  if (kind === null) return dead('unhandled_topic', `topic ${envelope.topic} is not handled by the mapper`);
  if (kind === 'product') return planProduct(envelope, topic, config);

  const connection = findConnectionByDestination(config, envelope.shop);
  if (!connection) return dead('unknown_shop', `no connection has ${envelope.shop} as its destination`);
  const envelopeTime: EnvelopeTime =
    envelope.triggeredAt !== null
      ? { version: envelope.triggeredAt, clock: 'TRIGGERED_AT' }
      : { version: new Date(Number(envelope.receivedAt)).toISOString(), clock: 'RECEIVED_AT' };
  const ctx: MapContext = { recordSource: RECORD_SOURCE[envelope.source], rawId: envelope.id, force: envelope.force, envelopeTime };

  if (topic.endsWith('/delete')) {
    const id = parseDeleteBody(envelope.body);
    if (!id.ok) return dead('invalid_body', id.reason);
    if (id.value !== envelope.originId) return keyMismatch(id.value, envelope);
    return { kind: 'emit', mapped: mapDelete(connection.destinationShop, kind, id.value, connection, ctx) };
  }

  const canonical = normalize(envelope, kind, connection.destinationShop);
  if (!canonical.ok) return dead('invalid_body', canonical.reason);
  if (canonical.value.origin.id !== envelope.originId) return keyMismatch(canonical.value.origin.id, envelope);
  return { kind: 'map', canonical: canonical.value, connection, ctx };
}

function normalize(envelope: RawWebhookEnvelope, kind: OriginKind, shop: string): Result<CanonicalDraft> {
  if (envelope.bodyFormat === 'rest') {
    // Raw bytes, so ids above 2^53 stay exact.
    return kind === 'order' ? normalizeRestOrder(envelope.body, shop) : normalizeRestDraft(envelope.body, shop);
  }
  const node = parseBody(envelope.body);
  if (!node.ok) return node;
  return kind === 'order' ? normalizeGraphqlOrder(node.value, shop) : normalizeGraphqlDraft(node.value, shop);
}

function planProduct(envelope: RawWebhookEnvelope, topic: string, config: AppConfig): RecordPlan {
  const targets = productChangeTargets(config.connections, envelope.shop.toLowerCase());
  if (targets.length === 0) return dead('unknown_shop', `no connection includes ${envelope.shop}`);
  if (envelope.bodyFormat !== 'rest') return dead('invalid_body', 'product records must carry a REST body');
  if (topic.endsWith('/delete')) {
    const id = parseDeleteBody(envelope.body);
    if (!id.ok) return dead('invalid_body', id.reason);
    return { kind: 'product', productId: id.value, variants: [], targets };
  }
  const product = normalizeRestProduct(envelope.body, envelope.shop.toLowerCase());
  if (!product.ok) return dead('invalid_body', product.reason);
  return { kind: 'product', productId: product.value.productId, variants: product.value.variants, targets };
}

/** The output is keyed by the body's id; it must be the record the input key names. */
function keyMismatch(bodyId: string, envelope: RawWebhookEnvelope): RecordPlan {
  return dead('key_mismatch', `body id ${bodyId} does not match the envelope's originId ${envelope.originId}`);
}
