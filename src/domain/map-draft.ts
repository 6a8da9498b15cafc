// The mapper's decision for one origin record: skip (with reason), complete, delete, or the
// draft the source store should hold, with every variant translated. Pure: variant
// lookups are done beforehand for a whole batch (see mergeLookupRequests).
import type { ConnectionSettings } from './connection.js';
import { keyOf } from './keys.js';
import type {
  CanonicalDraft,
  CanonicalLine,
  MappedDraftOrder,
  MappedLine,
  OriginKind,
  OriginRef,
  RecordSource,
  SkipReason,
  SourceDraft,
  VersionClock,
} from './model.js';
import { formatOriginTag, hasSyncTag, normalizeTags } from './tags.js';

/** Destination variant id → source variant id (numeric or GID) for one connection. */
export type VariantLookup = ReadonlyMap<string, string>;

export interface MapContext {
  readonly recordSource: RecordSource;
  /** Id of the raw envelope (webhook id, backfill id). */
  readonly rawId: string;
  /** Re-apply even if this version was applied (replay --force). */
  readonly force?: boolean;
  /**
   * When Shopify fired the webhook (else when ingest got it): the version of a body without
   * `updated_at`, and of a delete.
   */
  readonly envelopeTime: EnvelopeTime;
}

export interface EnvelopeTime {
  readonly version: string;
  readonly clock: 'TRIGGERED_AT' | 'RECEIVED_AT';
}

const VARIANT_GID_PREFIX = 'gid://shopify/ProductVariant/';
const SOURCE_EDITED = { overwrite: 'OVERWRITE', keep: 'KEEP', flag: 'FLAG' } as const;

export function variantGid(id: string): string {
  return id.startsWith('gid://') ? id : VARIANT_GID_PREFIX + id;
}

type Base = Omit<MappedDraftOrder, 'action' | 'draft' | 'skipReason' | 'missingVariants'>;

function baseOf(origin: OriginRef, version: string, clock: VersionClock, connection: ConnectionSettings, ctx: MapContext): Base {
  return {
    key: keyOf(origin),
    origin,
    connectionId: connection.id,
    sourceShop: connection.sourceShop,
    version,
    sendInvoice: connection.sendInvoice,
    onCompleted: connection.onCompleted === 'delete' ? 'DELETE' : 'TAG',
    onSourceEdited: SOURCE_EDITED[connection.onSourceEdited],
    versionClock: clock,
    force: ctx.force ?? false,
    recordSource: ctx.recordSource,
    rawId: ctx.rawId,
  };
}

function skip(base: Base, reason: SkipReason, missingVariants: readonly string[] = []): MappedDraftOrder {
  return { ...base, action: 'SKIP', draft: null, skipReason: reason, missingVariants };
}

/** Settings-level skips shared by upserts and deletes. */
function settingsSkip(kind: OriginKind, connection: ConnectionSettings): SkipReason | null {
  if (!connection.draftOrderSync) return 'SYNC_DISABLED';
  if (kind === 'order' && !connection.orderTrigger) return 'ORDER_TRIGGER_OFF';
  return null;
}

/** The body's `updated_at`, else the webhook's time. */
export function versionOf(canonical: CanonicalDraft, ctx: MapContext): { readonly version: string; readonly clock: VersionClock } {
  return canonical.version !== null ? { version: canonical.version, clock: 'UPDATED_AT' } : ctx.envelopeTime;
}

export function mapDraft(
  canonical: CanonicalDraft,
  connection: ConnectionSettings,
  lookups: VariantLookup,
  ctx: MapContext,
): MappedDraftOrder {
  const { version, clock } = versionOf(canonical, ctx);
  const base = baseOf(canonical.origin, version, clock, connection, ctx);
  const settingsReason = settingsSkip(canonical.origin.kind, connection);
  if (settingsReason !== null) return skip(base, settingsReason);
  // Loop guard: a record carrying our sync tag is one of our own copies.
  if (hasSyncTag(canonical.tags)) return skip(base, 'LOOP');
  if (canonical.status === 'COMPLETED') {
    return { ...base, action: 'COMPLETE', draft: null, skipReason: null, missingVariants: [] };
  }

  const translated = translateLines(canonical, connection, lookups);
  if (translated.missing.length > 0 && connection.unmapped === 'skip') {
    return skip(base, 'UNMAPPED', translated.missing);
  }
  if (translated.lines.length === 0 && canonical.lines.length > 0) {
    // Partial sync with nothing left: a draft needs at least one line.
    return skip(base, 'UNMAPPED', translated.missing);
  }
  return {
    ...base,
    action: 'UPSERT',
    draft: sourceDraftOf(canonical, connection, translated),
    skipReason: null,
    missingVariants: translated.missing,
  };
}

interface Translated {
  readonly lines: MappedLine[];
  /** Unique destination variant ids without a mapping, in order of appearance. */
  readonly missing: string[];
  /** Lines left out (partial policy), for the note. */
  readonly leftOut: CanonicalLine[];
}

function translateLines(canonical: CanonicalDraft, connection: ConnectionSettings, lookups: VariantLookup): Translated {
  const lines: MappedLine[] = [];
  const missing = new Set<string>();
  const leftOut: CanonicalLine[] = [];
  for (const line of canonical.lines) {
    if (line.variantId === null) {
      lines.push(customLine(line, canonical.currency));
      continue;
    }
    const sourceVariant = lookups.get(line.variantId);
    if (sourceVariant !== undefined) {
      lines.push({
        kind: 'variant',
        sourceVariantId: variantGid(sourceVariant),
        quantity: line.quantity,
        priceOverride: connection.prices === 'destination' ? { amount: line.price, currencyCode: canonical.currency } : null,
        customAttributes: line.customAttributes,
        appliedDiscount: line.appliedDiscount,
      });
      continue;
    }
    missing.add(line.variantId);
    if (connection.unmapped === 'custom') lines.push(customLine(line, canonical.currency));
    else leftOut.push(line);
  }
  return { lines, missing: [...missing], leftOut };
}

function customLine(line: CanonicalLine, currency: string | null): MappedLine {
  return {
    kind: 'custom',
    title: line.variantTitle !== null && line.variantId !== null ? `${line.title} - ${line.variantTitle}` : line.title,
    quantity: line.quantity,
    price: { amount: line.price, currencyCode: currency },
    sku: line.sku,
    taxable: line.taxable,
    requiresShipping: line.requiresShipping,
    grams: line.grams,
    customAttributes: line.customAttributes,
    appliedDiscount: line.appliedDiscount,
  };
}

function describeLine(line: CanonicalLine): string {
  const title = line.variantTitle !== null ? `${line.title} - ${line.variantTitle}` : line.title;
  const sku = line.sku !== null ? `SKU ${line.sku}, ` : '';
  return `${line.quantity}× ${title} (${sku}variant ${line.variantId ?? 'none'})`;
}

function noteOf(canonical: CanonicalDraft, leftOut: readonly CanonicalLine[]): string | null {
  const parts: string[] = [];
  if (canonical.origin.kind === 'order') {
    const name = canonical.origin.name ?? `id ${canonical.origin.id}`;
    parts.push(`Created from order ${name} in ${canonical.origin.shop}`);
  }
  if (canonical.note !== null) parts.push(canonical.note);
  if (leftOut.length > 0) {
    parts.push(['Not synced (no product mapping):', ...leftOut.map((line) => `- ${describeLine(line)}`)].join('\n'));
  }
  return parts.length > 0 ? parts.join('\n\n') : null;
}

function sourceDraftOf(canonical: CanonicalDraft, connection: ConnectionSettings, translated: Translated): SourceDraft {
  const originTag = formatOriginTag(connection.originTag, canonical.origin.shop);
  return {
    email: canonical.email,
    phone: canonical.phone,
    customer: canonical.customer,
    shippingAddress: canonical.shippingAddress,
    billingAddress: canonical.billingAddress,
    note: noteOf(canonical, translated.leftOut),
    tags: normalizeTags(originTag === null ? canonical.tags : [...canonical.tags, originTag]),
    customAttributes: canonical.customAttributes,
    lines: translated.lines,
    appliedDiscount: canonical.appliedDiscount,
    shippingLine: canonical.shippingLine,
    taxExempt: canonical.taxExempt,
    presentmentCurrency: connection.prices === 'destination' ? canonical.currency : null,
  };
}

/** A delete of the origin record (its body has only the id). */
export function mapDelete(
  shop: string,
  kind: OriginKind,
  id: string,
  connection: ConnectionSettings,
  ctx: MapContext,
): MappedDraftOrder {
  const origin: OriginRef = { shop, kind, id, name: null };
  // A delete body has only the id: its version is when Shopify fired it (else when we got it).
  const base = baseOf(origin, ctx.envelopeTime.version, ctx.envelopeTime.clock, connection, ctx);
  const settingsReason = settingsSkip(kind, connection);
  if (settingsReason !== null) return skip(base, settingsReason);
  return { ...base, action: 'DELETE', draft: null, skipReason: null, missingVariants: [] };
}

/** Unique destination variant ids referenced by these records' lines. */
/** Groups a consumed batch's lookups per connection, each variant id once, ready for one pipelined lookup. */
export function mergeLookupRequests(
  requests: Iterable<{ readonly connectionId: string; readonly variantIds: readonly string[] }>,
): { connectionId: string; variantIds: string[] }[] {
  const byConnection = new Map<string, Set<string>>();
  for (const { connectionId, variantIds } of requests) {
    const ids = byConnection.get(connectionId) ?? new Set<string>();
    for (const id of variantIds) ids.add(id);
    byConnection.set(connectionId, ids);
  }
  return [...byConnection].map(([connectionId, ids]) => ({ connectionId, variantIds: [...ids] }));
}
