// An in-memory draft list answering the destination listing's draftOrders queries the way the
// simulator does (its search syntax, cursor paging and pagination cap), without HTTP or the
// schema: for fast listing tests over many record layouts.
import { isoSeconds } from '../../simulator/core/clock.js';
import { paginate } from '../../simulator/graphql/connection.js';
import { matchDate, matches, matchNumber, type SearchSpec } from '../../simulator/search/search-filter.js';
import { parseSearchQuery } from '../../simulator/search/search-query.js';
import type { GraphqlRequest } from '../../src/shared/graphql-request.js';

interface Entry {
  readonly id: number;
  updatedAtMs: number;
}

const search: SearchSpec<Entry> = {
  fields: { updated_at: (e, t) => matchDate(e.updatedAtMs, t), id: (e, t) => matchNumber(e.id, t) },
  text: () => false,
};

export class ListingStore {
  private readonly entries = new Map<number, Entry>();
  /** Every query argument asked, in order. */
  readonly queries: (string | null)[] = [];
  /** Runs before each page is answered (to change the store mid-listing). */
  beforePage: (page: number) => void = () => {};

  constructor(private readonly paginationLimit: number | null) {}

  put(id: number, updatedAtMs: number): void {
    this.entries.set(id, { id, updatedAtMs });
  }

  get ids(): number[] {
    return [...this.entries.keys()];
  }

  readonly request: GraphqlRequest = async (_document, variables) => {
    this.beforePage(this.queries.length);
    const query = typeof variables['query'] === 'string' ? variables['query'] : null;
    this.queries.push(query);
    const expr = parseSearchQuery(query);
    const found = [...this.entries.values()].filter((e) => matches(e, expr, search));
    const sort = variables['sortKey'] === 'ID' ? (e: Entry) => e.id : (e: Entry) => Math.floor(e.updatedAtMs / 1000);
    const first = typeof variables['first'] === 'number' ? variables['first'] : null;
    const after = typeof variables['after'] === 'string' ? variables['after'] : null;
    const page = paginate(found, { first, after }, sort, (e) => ({
      legacyResourceId: String(e.id),
      updatedAt: isoSeconds(e.updatedAtMs),
      lineItems: { pageInfo: { hasNextPage: false }, nodes: [] },
    }), 'DraftOrderEdge', this.paginationLimit);
    return { draftOrders: page };
  };
}
