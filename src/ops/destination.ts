// Reading a destination store's drafts and orders through the Admin API, page by page in
// updated_at windows (past Shopify's pagination cap), with exactly the fields the mapper's
// GraphQL normaliser reads (normalize-graphql.ts).
import { z } from 'zod';
import { DRAFT_ORDER_FIELDS, ORDER_FIELDS, draftOrderFields, orderFields } from '../domain/normalize-graphql.js';
import type { OriginKind } from '../domain/model.js';
import type { GraphqlRequest } from '../shared/graphql-request.js';
import { describeWindow, firstWindow, lowestSecond, nextWindow, resumesFrom, secondOf, windowQuery, windowSortKey, type CutPoint, type UpdateWindow } from './update-windows.js';

/**
 * Records per page and lines per record in a page: ~7 points a line, so 5 × 20 lines stays
 * well under the 1000-point query limit. A record with more lines is fetched again alone
 * with 100 lines (the normaliser refuses a record whose lines were cut off).
 */
const PAGE_SIZE = 5;
const PAGE_LINES = 20;

const listQuery = (kind: OriginKind): string => {
  const [field, fields] = kind === 'draft' ? ['draftOrders', draftOrderFields(PAGE_LINES)] : ['orders', orderFields(PAGE_LINES)];
  const sortKeys = kind === 'draft' ? 'DraftOrderSortKeys' : 'OrderSortKeys';
  return `query Ops${kind === 'draft' ? 'DraftOrders' : 'Orders'}($first: Int!, $after: String, $query: String, $sortKey: ${sortKeys}) {
  ${field}(first: $first, after: $after, query: $query, sortKey: $sortKey) {
    pageInfo { hasNextPage endCursor }
    nodes { ${fields} }
  }
}`;
};

const singleQuery = (kind: OriginKind): string =>
  kind === 'draft'
    ? `query OpsDraftOrder($id: ID!) { record: draftOrder(id: $id) { ${DRAFT_ORDER_FIELDS} } }`
    : `query OpsOrder($id: ID!) { record: order(id: $id) { ${ORDER_FIELDS} } }`;

const EXISTS_QUERY = `query OpsDraftOrdersExist($ids: [ID!]!) { nodes(ids: $ids) { ... on DraftOrder { legacyResourceId } } }`;

/** What the reader itself needs of a node; the whole node travels on as the envelope body. */
const nodeHead = z.looseObject({
  legacyResourceId: z.string(),
  updatedAt: z.string(),
  lineItems: z.looseObject({ pageInfo: z.object({ hasNextPage: z.boolean() }).optional() }),
});

const pageSchema = z.object({
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
  nodes: z.array(nodeHead),
});

export interface DestinationRecord {
  readonly kind: OriginKind;
  /** Numeric id (legacyResourceId). */
  readonly id: string;
  /** updatedAt: the version the writer will compare. */
  readonly updatedAt: string;
  /** The GraphQL node as returned. */
  readonly node: Record<string, unknown>;
}

/** Where a listing stands, after each page. */
export interface ListingProgress {
  readonly window: UpdateWindow;
  /** Records the window's pages returned so far, repeats included (they count toward the cap). */
  readonly windowRecords: number;
  /** Records yielded so far. */
  readonly listed: number;
}

/** `window 3 (2026-01-01T00:00:00Z → 2026-02-01T00:00:00Z): 12,000 records`. */
export function describeListing(at: ListingProgress): string {
  return `${describeWindow(at.window)}: ${at.windowRecords.toLocaleString('en-US')} record${at.windowRecords === 1 ? '' : 's'}`;
}

export interface ListOptions {
  /** Only records updated at or after this instant (epoch ms; compared in whole seconds). */
  readonly sinceMs?: number;
  /**
   * Records one updated_at window may produce before it is cut and resumed in a new one. Keep it
   * at or below the store's pagination cap (Shopify: 25,000), which a cursor cannot pass.
   */
  readonly windowRecords?: number;
  readonly onPage?: (progress: ListingProgress) => void;
  /** The listing's start (epoch ms): where the first window ends. */
  readonly now?: () => number;
}

export const DEFAULT_WINDOW_RECORDS = 10_000;

/**
 * Every draft (or order) of the store, in updated_at windows (update-windows.ts), oldest update
 * first within a window. A record updated while the listing runs can come back in a later
 * window: it is yielded again only with a newer updatedAt than it was yielded with.
 */
export async function* listRecords(request: GraphqlRequest, kind: OriginKind, opts: ListOptions = {}): AsyncGenerator<DestinationRecord> {
  const maxRecords = opts.windowRecords ?? DEFAULT_WINDOW_RECORDS;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new Error(`windowRecords must be a positive integer, got ${maxRecords}`);
  const field = kind === 'draft' ? 'draftOrders' : 'orders';
  // id → updatedAt second yielded, for what a later window can list again with the same version.
  const yielded = new Map<string, number>();
  let listed = 0;
  let window: UpdateWindow | null = firstWindow(opts.sinceMs, (opts.now ?? Date.now)());
  while (window) {
    forgetBefore(yielded, lowestSecond(window));
    const variables = { query: windowQuery(window), sortKey: windowSortKey(window) };
    let after: string | null = null;
    let count = 0;
    let cut: CutPoint | null = null;
    let complete = false;
    while (!complete && count < maxRecords) {
      const data = await request(listQuery(kind), { ...variables, first: Math.min(PAGE_SIZE, maxRecords - count), after });
      const page = pageSchema.parse((data as Record<string, unknown> | null)?.[field]);
      for (const head of page.nodes) {
        count++;
        const second = secondOf(head.updatedAt);
        if (resumesFrom(window, second)) cut = { second, id: head.legacyResourceId };
        const before = yielded.get(head.legacyResourceId);
        if (before !== undefined && before >= second) continue;
        const node = head.lineItems.pageInfo?.hasNextPage ? await fetchOne(request, kind, head.legacyResourceId) : head;
        if (!node) continue;
        yielded.set(head.legacyResourceId, second);
        listed++;
        yield { kind, id: head.legacyResourceId, updatedAt: head.updatedAt, node };
      }
      opts.onPage?.({ window, windowRecords: count, listed });
      complete = !page.pageInfo.hasNextPage || !page.pageInfo.endCursor;
      after = page.pageInfo.endCursor ?? null;
    }
    window = nextWindow(window, complete ? { complete: true } : { complete: false, cut });
  }
}

/**
 * A window matches records by an updated_at at or after its lowest second, and a record never
 * shows an older updatedAt than it was matched by: one yielded before that second can only come
 * back newer. Keeps the map to about one window's records.
 */
function forgetBefore(yielded: Map<string, number>, second: number | null): void {
  if (second === null) return;
  for (const [id, at] of yielded) if (at < second) yielded.delete(id);
}

async function fetchOne(request: GraphqlRequest, kind: OriginKind, id: string): Promise<Record<string, unknown> | null> {
  const gid = `gid://shopify/${kind === 'draft' ? 'DraftOrder' : 'Order'}/${id}`;
  const data = await request(singleQuery(kind), { id: gid });
  const record = z.object({ record: nodeHead.nullable() }).parse(data).record;
  return record;
}

/** Which of these draft ids still exist in the store (nodes(ids:), 100 at a time). */
export async function existingDrafts(request: GraphqlRequest, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100).map((id) => `gid://shopify/DraftOrder/${id}`);
    const data = await request(EXISTS_QUERY, { ids: chunk });
    const nodes = z.object({ nodes: z.array(z.object({ legacyResourceId: z.string().optional() }).nullable()) }).parse(data).nodes;
    for (const node of nodes) if (node?.legacyResourceId) found.add(node.legacyResourceId);
  }
  return found;
}
