// The canonical draft-order model shared by mapper and writer. Pure types, no I/O.
//
// A destination store's draft order (or order) becomes one `CanonicalDraft` (see
// normalize-*.ts) and the mapper turns it into a `MappedDraftOrder` for the source store
// (the writer's outcomes are in src/contracts/sync-event.ts).

/** What the origin record is in the destination store. */
export type OriginKind = 'draft' | 'order';

/** The destination record a sync is about. `key` = `{shop}/{kind}/{id}`. */
export interface OriginRef {
  readonly shop: string;
  readonly kind: OriginKind;
  /** Numeric Shopify id as a decimal string (ids exceed 2^53). */
  readonly id: string;
  /** "#D42" / "#1001"; null when unknown (delete webhooks carry only the id). */
  readonly name: string | null;
}

export interface Money {
  /** Decimal string, as Shopify sends it ("19.99"). */
  readonly amount: string;
  readonly currencyCode: string | null;
}

export interface Address {
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly company: string | null;
  readonly address1: string | null;
  readonly address2: string | null;
  readonly city: string | null;
  readonly provinceCode: string | null;
  readonly countryCode: string | null;
  readonly zip: string | null;
  readonly phone: string | null;
}

export interface Customer {
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly phone: string | null;
}

export interface Attribute {
  readonly key: string;
  readonly value: string;
}

export interface Discount {
  readonly title: string | null;
  readonly description: string | null;
  /** Percentage (e.g. "10.0") or fixed amount, per `valueType`. */
  readonly value: string;
  readonly valueType: 'FIXED_AMOUNT' | 'PERCENTAGE';
}

export interface ShippingLine {
  readonly title: string;
  readonly price: string;
  /** The price's currency (the origin's presentment currency); null when unknown. */
  readonly currencyCode: string | null;
}

/** A line as the destination store has it. */
export interface CanonicalLine {
  /** Destination variant id (numeric string); null for a custom line. */
  readonly variantId: string | null;
  readonly productId: string | null;
  readonly title: string;
  readonly variantTitle: string | null;
  readonly sku: string | null;
  readonly quantity: number;
  /** Unit price in the origin's currency. */
  readonly price: string;
  readonly taxable: boolean;
  readonly requiresShipping: boolean;
  readonly grams: number;
  readonly customAttributes: readonly Attribute[];
  readonly appliedDiscount: Discount | null;
}

export type OriginStatus = 'OPEN' | 'INVOICE_SENT' | 'COMPLETED';

/** One origin record, normalised from REST webhook JSON or from GraphQL. */
export interface CanonicalDraft {
  readonly origin: OriginRef;
  /**
   * The origin's `updated_at` (ISO-8601): the version the writer compares. Null when the body
   * has none (Shopify's own `orders/create` example): the webhook's time versions it then.
   */
  readonly version: string | null;
  readonly status: OriginStatus;
  readonly email: string | null;
  readonly phone: string | null;
  readonly customer: Customer | null;
  readonly shippingAddress: Address | null;
  readonly billingAddress: Address | null;
  readonly note: string | null;
  readonly tags: readonly string[];
  readonly customAttributes: readonly Attribute[];
  readonly lines: readonly CanonicalLine[];
  readonly appliedDiscount: Discount | null;
  readonly shippingLine: ShippingLine | null;
  readonly taxExempt: boolean;
  readonly currency: string | null;
}

/** A line ready for the source store. */
export type MappedLine =
  | {
      readonly kind: 'variant';
      /** Source store variant GID (gid://shopify/ProductVariant/<id>). */
      readonly sourceVariantId: string;
      readonly quantity: number;
      /** Set when the connection carries the destination's prices over. */
      readonly priceOverride: Money | null;
      readonly customAttributes: readonly Attribute[];
      readonly appliedDiscount: Discount | null;
    }
  | {
      readonly kind: 'custom';
      readonly title: string;
      readonly quantity: number;
      readonly price: Money;
      readonly sku: string | null;
      readonly taxable: boolean;
      readonly requiresShipping: boolean;
      readonly grams: number;
      readonly customAttributes: readonly Attribute[];
      readonly appliedDiscount: Discount | null;
    };

/** The draft the source store should hold. */
export interface SourceDraft {
  readonly email: string | null;
  readonly phone: string | null;
  readonly customer: Customer | null;
  readonly shippingAddress: Address | null;
  readonly billingAddress: Address | null;
  readonly note: string | null;
  /** Full tag set including the origin tag; the writer adds the sync tag. */
  readonly tags: readonly string[];
  readonly customAttributes: readonly Attribute[];
  readonly lines: readonly MappedLine[];
  readonly appliedDiscount: Discount | null;
  readonly shippingLine: ShippingLine | null;
  readonly taxExempt: boolean;
  /** Presentment currency to keep when prices are carried over; else null. */
  readonly presentmentCurrency: string | null;
}

export type SkipReason =
  | 'SYNC_DISABLED'
  | 'ORDER_TRIGGER_OFF'
  | 'UNMAPPED'
  | 'LOOP'
  | 'STALE';

export type MappedAction =
  /** Create the source copy, or update it to this version. */
  | 'UPSERT'
  /** The origin was deleted: delete the source copy. */
  | 'DELETE'
  /** The origin was completed: tag or delete the source copy per `onCompleted`. */
  | 'COMPLETE'
  /** Nothing to write; the writer publishes a SKIPPED event with `skipReason`. */
  | 'SKIP';

export type VersionClock = 'UPDATED_AT' | 'TRIGGERED_AT' | 'RECEIVED_AT';

/** Where a raw record came from. */
export type RecordSource = 'webhook' | 'backfill' | 'reconcile' | 'replay' | 'redrive';

/** Mapper output, writer input. Keyed by `key` on the mapped topic. */
export interface MappedDraftOrder {
  /** `{destinationShop}/{kind}/{id}`. */
  readonly key: string;
  readonly origin: OriginRef;
  readonly connectionId: string;
  readonly sourceShop: string;
  readonly action: MappedAction;
  /**
   * Version to compare with the last applied one: the origin's `updated_at`, or for a
   * delete (whose body has only the id) the webhook's triggered-at / received-at time.
   */
  readonly version: string;
  readonly draft: SourceDraft | null;
  readonly skipReason: SkipReason | null;
  /** Destination variant ids without a mapping (UNMAPPED skips, partial syncs). */
  readonly missingVariants: readonly string[];
  /** Connection settings the writer needs. */
  readonly sendInvoice: boolean;
  readonly onCompleted: 'TAG' | 'DELETE';
  /** The source copy was changed by someone else since our last write: overwrite it, keep it (stop syncing it), or flag it. */
  readonly onSourceEdited: 'OVERWRITE' | 'KEEP' | 'FLAG';
  /** Where `version` came from (a body without `updated_at` is versioned by when Shopify fired it, else when we got it). */
  readonly versionClock: VersionClock;
  /** Re-apply even if this version was applied (replay --force). */
  readonly force: boolean;
  readonly recordSource: RecordSource;
  /** Id of the raw envelope this came from (webhook id / backfill id), for tracing. */
  readonly rawId: string;
}
