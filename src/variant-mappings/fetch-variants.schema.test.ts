// The variant listing query must be valid against Shopify's real Admin schema (2026-10).
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../../simulator/admin-schema.js';
import { PRODUCT_VARIANTS_QUERY } from './fetch-variants.js';

describe('PRODUCT_VARIANTS_QUERY', () => {
  it('validates against the Admin schema', async () => {
    const schema = await loadAdminSchema();
    expect(validate(schema, parse(PRODUCT_VARIANTS_QUERY)).map((e) => e.message)).toEqual([]);
  }, 120_000);
});
