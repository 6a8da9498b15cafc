import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../../../../simulator/admin-schema.js';
import { ALL_OPERATIONS, tagQuery } from './operations.js';

describe('GraphQL documents', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await loadAdminSchema();
  });

  it.each(Object.entries(ALL_OPERATIONS))('%s validates against the Admin 2026-10 schema', (_name, document) => {
    const errors = validate(schema, parse(document));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('quotes a tag for the search syntax', () => {
    expect(tagQuery('dos-abc')).toBe("tag:'dos-abc'");
    expect(tagQuery("it's")).toBe("tag:'it\\'s'");
  });
});
