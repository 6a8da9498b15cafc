// One Admin GraphQL read, as the readers of store data take it (variant listings, destination
// drafts): resolves with `data`, rejects with a message naming the store. src/shopify makes
// the real one; tests pass their own.
export type GraphqlRequest = (query: string, variables: Record<string, unknown>) => Promise<unknown>;
