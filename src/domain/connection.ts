// The per-connection settings the pure mapping logic needs (the config module produces these).

export type VariantMatchMode = 'sku' | 'barcode' | 'handle_options';
export type UnmappedPolicy = 'skip' | 'partial' | 'custom';
export type PricePolicy = 'source' | 'destination';
export type CompletedPolicy = 'tag' | 'delete';
/** What the writer does when someone else changed the source copy since its last write. */
export type SourceEditedPolicy = 'overwrite' | 'keep' | 'flag';

/** One source ⇄ destination pairing. Records flow from `destinationShop` into `sourceShop`. */
export interface ConnectionSettings {
  readonly id: string;
  readonly sourceShop: string;
  readonly destinationShop: string;
  readonly draftOrderSync: boolean;
  readonly orderTrigger: boolean;
  readonly sendInvoice: boolean;
  /** `false` = no origin tag; otherwise a format containing `{shop}`. */
  readonly originTag: string | false;
  readonly variantMatch: VariantMatchMode;
  readonly unmapped: UnmappedPolicy;
  readonly prices: PricePolicy;
  readonly onCompleted: CompletedPolicy;
  readonly onSourceEdited: SourceEditedPolicy;
}
