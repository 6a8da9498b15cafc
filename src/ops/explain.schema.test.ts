// explain's store documents against Shopify's real Admin schema (2026-10).
import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../../simulator/admin-schema.js';
import {
  DESTINATION_DRAFT_BY_ID,
  DESTINATION_DRAFT_BY_NAME,
  DESTINATION_ORDER_BY_ID,
  DESTINATION_ORDER_BY_NAME,
  SOURCE_DRAFT_BY_ID,
  SOURCE_DRAFTS_BY_TAG,
} from './explain-stores.js';

describe('explain documents', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await loadAdminSchema();
  });

  it.each(Object.entries({ DESTINATION_DRAFT_BY_NAME, DESTINATION_ORDER_BY_NAME, DESTINATION_DRAFT_BY_ID, DESTINATION_ORDER_BY_ID, SOURCE_DRAFT_BY_ID, SOURCE_DRAFTS_BY_TAG }))(
    '%s validates',
    (_name, document) => {
      expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
    },
  );
});
