import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../shared/config/index.js';
import { missingScopes, requirementsOf } from './store-requirements.js';

const config = resolveConfig(
  {
    stores: ['main', 'eu', 'us'].map((s) => ({ shop: `${s}.myshopify.com`, adminTokenEnv: 'T', webhookSecretEnvs: ['S'] })),
    connections: [
      { id: 'eu', source: 'main.myshopify.com', destination: 'eu.myshopify.com' },
      { id: 'us', source: 'main.myshopify.com', destination: 'us.myshopify.com', orderTrigger: true },
    ],
  },
  { T: 't', S: 's' },
);
const store = (shop: string) => config.stores.find((s) => s.shop === shop)!;

describe('requirementsOf', () => {
  it('a destination needs draft and product access and topics; orders only with the order trigger', () => {
    expect(requirementsOf(config, store('eu.myshopify.com'))).toEqual({
      shop: 'eu.myshopify.com',
      roles: ['destination'],
      scopes: ['read_draft_orders', 'read_products'],
      topics: ['DRAFT_ORDERS_CREATE', 'DRAFT_ORDERS_UPDATE', 'DRAFT_ORDERS_DELETE', 'PRODUCTS_CREATE', 'PRODUCTS_UPDATE', 'PRODUCTS_DELETE'],
    });
    const us = requirementsOf(config, store('us.myshopify.com'));
    expect(us.scopes).toContain('read_orders');
    expect(us.topics).toContain('ORDERS_CREATE');
  });

  it('a source needs to write drafts, read products and customers, and product topics', () => {
    expect(requirementsOf(config, store('main.myshopify.com'))).toEqual({
      shop: 'main.myshopify.com',
      roles: ['source'],
      scopes: ['read_customers', 'read_products', 'write_draft_orders'],
      topics: ['PRODUCTS_CREATE', 'PRODUCTS_UPDATE', 'PRODUCTS_DELETE'],
    });
  });
});

describe('missingScopes', () => {
  it('names what is not granted; a write scope grants its read scope', () => {
    expect(missingScopes(['read_draft_orders', 'read_products', 'read_orders'], ['write_draft_orders', 'read_products'])).toEqual(['read_orders']);
  });
});
