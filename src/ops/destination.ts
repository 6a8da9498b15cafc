// Reading a destination store's drafts and orders through the Admin API, page by page, with
// exactly the fields the mapper's GraphQL normaliser reads (normalize-graphql.ts).
import { z } from 'zod';
import { DRAFT_ORDER_FIELDS, ORDER_FIELDS, draftOrderFields, orderFields } from '../domain/normalize-graphql.js';
import type { OriginKind } from '../domain/model.js';
import type { GraphqlRequest } from '../shared/graphql-request.js';

/**
 * Records per page and lines per record in a page: ~7 points a line, so 5 × 20 lines stays
 * well under the 1000-point query limit. A record with more lines is fetched again alone
 * with 100 lines (the normaliser refuses a record whose lines were cut off).
 */
const PAGE_SIZE = 5;
const PAGE_LINES = 20;

const listQuery = (kind: OriginKind): string => {
  const [field, fields] = kind === 'draft' ? ['draftOrders', draftOrderFields(PAGE_LINES)] : ['orders', orderFields(PAGE_LINES)];
  return `query Ops${kind === 'draft' ? 'DraftOrders' : 'Orders'}($first: Int!, $after: String, $query: String) {
  ${field}(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
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

export interface ListOptions {
  /** Only records updated at or after this instant (epoch ms). */
  readonly sinceMs?: number;
  readonly onPage?: (records: number) => void;
}

/** Every draft (or order) of the store, oldest update first. */
export async function* listRecords(request: GraphqlRequest, kind: OriginKind, opts: ListOptions = {}): AsyncGenerator<DestinationRecord> {
  const query = opts.sinceMs === undefined ? null : `updated_at:>='${new Date(opts.sinceMs).toISOString()}'`;
  const field = kind === 'draft' ? 'draftOrders' : 'orders';
  let after: string | null = null;
  let seen = 0;
  for (;;) {
    const data = await request(listQuery(kind), { first: PAGE_SIZE, after, query });
    const page = pageSchema.parse((data as Record<string, unknown> | null)?.[field]);
    for (const head of page.nodes) {
      const node = head.lineItems.pageInfo?.hasNextPage ? await fetchOne(request, kind, head.legacyResourceId) : head;
      if (node) yield { kind, id: head.legacyResourceId, updatedAt: head.updatedAt, node };
    }
    seen += page.nodes.length;
    opts.onPage?.(seen);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
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
