// Relay connections the way Shopify pages them: first/after or last/before over a list sorted
// by a sort key (ties broken by id), opaque cursors that are base64 JSON {last_id, last_value}.
// An optional pagination limit makes objects past that position unreachable: a page stops at
// the limit (still reporting a next page), and asking for a page past it is an error.
import { GraphQLError } from 'graphql';

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export type SortValue = string | number;

export interface Connection<T> {
  edges: { __typename: string; cursor: string; node: T }[];
  nodes: T[];
  pageInfo: {
    __typename: 'PageInfo';
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

interface CursorData {
  last_id: number;
  last_value: SortValue;
}

export function encodeCursor(id: number, value: SortValue): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value })).toString('base64');
}

function decodeCursor(cursor: string): CursorData {
  try {
    const data = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as Partial<CursorData>;
    if (typeof data.last_id === 'number' && (typeof data.last_value === 'string' || typeof data.last_value === 'number')) {
      return { last_id: data.last_id, last_value: data.last_value };
    }
  } catch {
    // fall through
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`);
}

function compareKeys(a: [SortValue, number], b: [SortValue, number]): number {
  if (a[0] !== b[0]) {
    if (typeof a[0] === 'number' && typeof b[0] === 'number') return a[0] - b[0];
    return String(a[0]).localeCompare(String(b[0]));
  }
  return a[1] - b[1];
}

export const MAX_PAGE_SIZE = 250;

export function paginationLimitExceeded(limit: number): GraphQLError {
  return new GraphQLError(
    `Cannot paginate past the ${limit}th object of this connection. Narrow the results with a search query (e.g. by updated_at) instead.`,
    { extensions: { code: 'PAGINATION_LIMIT_EXCEEDED', limit } },
  );
}

/**
 * Pages `items` (records with a numeric `id`) after sorting by `sortValue`. `wrap` turns a record
 * into its GraphQL view. `limit`: objects past this position (in the requested order) are
 * never returned.
 */
export function paginate<R extends { id: number }, V>(
  items: readonly R[],
  args: PageArgs,
  sortValue: (item: R) => SortValue,
  wrap: (item: R) => V,
  edgeTypename: string,
  limit: number | null = null,
): Connection<V> {
  const first = args.first ?? undefined;
  const last = args.last ?? undefined;
  if (first === undefined && last === undefined) throw new GraphQLError('you must provide one of first or last');
  if (first !== undefined && last !== undefined) throw new GraphQLError('providing both first and last is not supported');
  const size = first ?? last ?? 0;
  if (size < 0) throw new GraphQLError(`${first !== undefined ? 'first' : 'last'} must be a non-negative integer`);
  if (size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`The maximum page size is ${MAX_PAGE_SIZE}: ${first !== undefined ? 'first' : 'last'} must be ≤ ${MAX_PAGE_SIZE}`);
  }

  const direction = args.reverse ? -1 : 1;
  const keyed = items
    .map((item) => ({ item, key: [sortValue(item), item.id] as [SortValue, number] }))
    .sort((a, b) => direction * compareKeys(a.key, b.key));

  let window = keyed;
  if (args.after) {
    const c = decodeCursor(args.after);
    window = window.filter((e) => direction * compareKeys(e.key, [c.last_value, c.last_id]) > 0);
  }
  if (args.before) {
    const c = decodeCursor(args.before);
    window = window.filter((e) => direction * compareKeys(e.key, [c.last_value, c.last_id]) < 0);
  }
  let page = first !== undefined ? window.slice(0, size) : window.slice(Math.max(0, window.length - size));
  if (limit !== null && keyed.length > limit) {
    const position = new Map(keyed.map((e, i) => [e, i]));
    const reachable = page.filter((e) => (position.get(e) ?? 0) < limit);
    // `last` pages end where the caller points; a tail past the limit cannot be cut short.
    if (reachable.length < page.length && (reachable.length === 0 || first === undefined)) throw paginationLimitExceeded(limit);
    page = reachable;
  }
  const firstEntry = page[0];
  const lastEntry = page[page.length - 1];
  const edges = page.map((e) => ({ __typename: edgeTypename, cursor: encodeCursor(e.item.id, e.key[0]), node: wrap(e.item) }));
  const truncated = window.length > page.length;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: first !== undefined ? truncated : lastEntry !== undefined && keyed.indexOf(lastEntry) < keyed.length - 1,
      hasPreviousPage: last !== undefined ? truncated : firstEntry !== undefined && keyed.indexOf(firstEntry) > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
