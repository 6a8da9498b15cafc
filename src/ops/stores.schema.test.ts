// The store documents against Shopify's real Admin schema (2026-10).
import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../../simulator/admin-schema.js';
import { STORE_CHECK, WEBHOOK_CREATE, WEBHOOK_DELETE, WEBHOOK_UPDATE } from './stores.js';

describe('stores check/connect documents', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await loadAdminSchema();
  });

  it.each(Object.entries({ STORE_CHECK, WEBHOOK_CREATE, WEBHOOK_UPDATE, WEBHOOK_DELETE }))('%s validates', (_name, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });
});
