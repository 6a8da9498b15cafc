import { getOperationAST, Kind, parse, type FragmentDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLSchema } from 'graphql';
import { loadAdminSchema } from '../admin-schema.js';
import { requestedQueryCost } from './cost.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await loadAdminSchema();
}, 120_000);

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return requestedQueryCost(schema, operation, fragments, variables);
}

describe('requested query cost', () => {
  it('charges objects 1 and scalars 0', () => {
    expect(cost('{ shop { name currencyCode } }')).toBe(1);
    expect(cost('{ shop { name plan { publicDisplayName } } }')).toBe(2);
  });

  it('charges connections 2 + first × node cost, nested multiplicatively', () => {
    expect(cost('{ draftOrders(first: 10) { nodes { id } } }')).toBe(12);
    expect(cost('{ draftOrders(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }')).toBe(12);
    expect(cost('query($n: Int) { products(first: $n) { nodes { id variants(first: 5) { nodes { sku } } } } }', { n: 10 })).toBe(
      2 + 10 * (1 + 2 + 5 * 1),
    );
  });

  it('follows fragments and skips @skip(if: true) fields', () => {
    expect(cost('{ draftOrder(id: "gid://shopify/DraftOrder/1") { ...D } } fragment D on DraftOrder { id customer { id } }')).toBe(2);
    expect(cost('{ draftOrder(id: "x") { id customer @skip(if: true) { id } } }')).toBe(1);
  });

  it('charges 10 per mutation field', () => {
    expect(cost('mutation { draftOrderDelete(input: {id: "x"}) { deletedId } }')).toBe(10);
  });
});
