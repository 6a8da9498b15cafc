// The selections backfill/reconcile fetch must exist in Shopify's real Admin schema (2026-10).
import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../../simulator/admin-schema.js';
import { DRAFT_ORDER_FIELDS, ORDER_FIELDS, draftOrderFields } from './normalize-graphql.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await loadAdminSchema();
}, 120_000);

function errorsOf(query: string): string[] {
  return validate(schema, parse(query)).map((error) => error.message);
}

describe('GraphQL selections against the Admin schema', () => {
  it('DRAFT_ORDER_FIELDS is a valid DraftOrder selection', () => {
    expect(errorsOf(`query ($id: ID!) { draftOrder(id: $id) { ${DRAFT_ORDER_FIELDS} } }`)).toEqual([]);
    expect(errorsOf(`query { draftOrders(first: 5, query: "updated_at:>2026-01-01") { nodes { ${draftOrderFields(20)} } } }`)).toEqual([]);
  });

  it('ORDER_FIELDS is a valid Order selection', () => {
    expect(errorsOf(`query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`)).toEqual([]);
  });

  it('a misspelt field would be caught', () => {
    expect(errorsOf('query ($id: ID!) { draftOrder(id: $id) { note } }')[0]).toMatch(/^Cannot query field "note" on type "DraftOrder"/);
  });
});
