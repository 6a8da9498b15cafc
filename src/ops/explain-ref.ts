// What `explain` is asked about (pure): the destination shop as operators type it and the
// record reference — a draft or order id, or a name that the destination store resolves.
import type { OriginKind } from '../domain/model.js';
import { fail, ok, type Result } from '../domain/result.js';
import { findConnectionByDestination, findStore, type AppConfig, type ConnectionConfig, type StoreConfig } from '../shared/config/index.js';
import { DosError } from '../shared/errors.js';

export type RecordRef =
  | { readonly by: 'id'; readonly kind: OriginKind; readonly id: string }
  | { readonly by: 'name'; readonly kind: OriginKind; readonly name: string };

export const ACCEPTED_REFS =
  'a draft id (1042, draft/1042, gid://shopify/DraftOrder/1042), a draft name (#D12), an order name (#1001) or an order id (order/5001, gid://shopify/Order/5001)';

/** Bad input from the operator: the message names what is accepted. */
export class ExplainInputError extends DosError {
  constructor(message: string) {
    super('EXPLAIN_INPUT', message);
  }
}

const ID = '([1-9]\\d*)';
const PATTERNS: readonly { readonly re: RegExp; readonly ref: (m: RegExpExecArray) => RecordRef }[] = [
  { re: new RegExp(`^${ID}$`), ref: (m) => ({ by: 'id', kind: 'draft', id: m[1]! }) },
  { re: new RegExp(`^(draft|order)[/:]${ID}$`, 'i'), ref: (m) => ({ by: 'id', kind: m[1]!.toLowerCase() === 'order' ? 'order' : 'draft', id: m[2]! }) },
  { re: new RegExp(`^gid://shopify/(DraftOrder|Order)/${ID}$`), ref: (m) => ({ by: 'id', kind: m[1] === 'Order' ? 'order' : 'draft', id: m[2]! }) },
  // Draft names are `#D<number>`; the `#` is easy to lose in a shell, so `D1042` counts too.
  { re: /^#?D(\d+)$/i, ref: (m) => ({ by: 'name', kind: 'draft', name: `#D${m[1]!}` }) },
  { re: /^#(\d+)$/, ref: (m) => ({ by: 'name', kind: 'order', name: `#${m[1]!}` }) },
];

export function parseRef(text: string): Result<RecordRef> {
  const trimmed = text.trim();
  for (const { re, ref } of PATTERNS) {
    const match = re.exec(trimmed);
    if (match) return ok(ref(match));
  }
  return fail(`${text}: not a record reference; expected ${ACCEPTED_REFS}`);
}

/** `eu-brand`, `EU-Brand.myshopify.com`, `https://eu-brand.myshopify.com/` → `eu-brand.myshopify.com`. */
export function normalizeShop(text: string): string {
  const bare = text.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return bare.includes('.') ? bare : `${bare}.myshopify.com`;
}

export interface ExplainTarget {
  readonly shop: string;
  readonly ref: RecordRef;
  readonly connection: ConnectionConfig;
  readonly destinationStore: StoreConfig;
  readonly sourceStore: StoreConfig;
}

/** The shop's connection and stores, and the parsed reference; ExplainInputError otherwise. */
export function resolveTarget(config: AppConfig, shopText: string, refText: string): ExplainTarget {
  const shop = normalizeShop(shopText);
  const connection = findConnectionByDestination(config, shop);
  if (!connection) {
    const destinations = config.connections.map((c) => c.destinationShop).join(', ') || 'none configured';
    const asSource = config.connections.some((c) => c.sourceShop === shop);
    throw new ExplainInputError(
      `${shopText}: ${asSource ? 'is a source store; explain takes the destination store the record came from' : 'is no connection\u2019s destination store'} (destinations: ${destinations})`,
    );
  }
  const ref = parseRef(refText);
  if (!ref.ok) throw new ExplainInputError(ref.reason);
  const destinationStore = findStore(config, connection.destinationShop);
  const sourceStore = findStore(config, connection.sourceShop);
  if (!destinationStore || !sourceStore) throw new ExplainInputError(`connection ${connection.id}: store ${destinationStore ? connection.sourceShop : connection.destinationShop} is not configured`);
  return { shop: connection.destinationShop, ref: ref.value, connection, destinationStore, sourceStore };
}

/** `eu-brand.myshopify.com` → `eu-brand`, as people say it. */
export function shortShop(shop: string): string {
  return shop.replace(/\.myshopify\.com$/, '');
}
