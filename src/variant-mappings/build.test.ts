import { describe, expect, it } from 'vitest';
import type { VariantKeys } from '../domain/product.js';
import { catalogOf, matchVariants } from './build.js';
import { fetchAllVariants, VariantFetchError, type GraphqlRequest } from './fetch-variants.js';
import { affectedKeys, applyProductChange, productChangeTargets, type ProductChangeInput } from './product-change.js';

function variant(id: string, fields: Partial<VariantKeys> = {}): VariantKeys {
  return { variantId: id, productId: 'p', sku: null, barcode: null, productHandle: null, options: [], ...fields };
}

describe('matchVariants by sku', () => {
  const destination = [
    variant('d-red', { sku: 'TSHIRT-RED-M' }),
    variant('d-blue', { sku: ' HOODIE-BLUE-L ' }),
    variant('d-dup1', { sku: 'DUP' }),
    variant('d-dup2', { sku: 'DUP' }),
    variant('d-srcdup', { sku: 'SRC-DUP' }),
    variant('d-none', { sku: null }),
    variant('d-empty', { sku: '  ' }),
    variant('d-missing', { sku: 'ONLY-HERE' }),
  ];
  const source = [
    variant('s-red', { sku: 'TSHIRT-RED-M' }),
    variant('s-blue', { sku: 'HOODIE-BLUE-L' }),
    variant('s-dup', { sku: 'DUP' }),
    variant('s-srcdup1', { sku: 'SRC-DUP' }),
    variant('s-srcdup2', { sku: 'SRC-DUP' }),
    variant('s-empty', { sku: '' }),
  ];

  it('maps unique keys, reports ambiguities on either side and misses', () => {
    const result = matchVariants(destination, source, 'sku');
    expect([...result.mappings]).toEqual([
      ['d-red', 's-red'],
      ['d-blue', 's-blue'],
    ]);
    expect(result.ambiguous).toEqual([
      { key: 'DUP', destination: ['d-dup1', 'd-dup2'], source: ['s-dup'] },
      { key: 'SRC-DUP', destination: ['d-srcdup'], source: ['s-srcdup1', 's-srcdup2'] },
    ]);
    // Empty keys never match each other.
    expect(result.unmatched).toEqual(['d-none', 'd-empty', 'd-missing']);
  });

  it('counts a variant listed twice (overlapping pages) once', () => {
    const result = matchVariants([variant('d', { sku: 'A' }), variant('d', { sku: 'A' })], [variant('s', { sku: 'A' })], 'sku');
    expect([...result.mappings]).toEqual([['d', 's']]);
  });
});

describe('matchVariants by barcode', () => {
  it('matches barcodes and ignores SKUs', () => {
    const result = matchVariants(
      [variant('d1', { barcode: '4006381333931', sku: 'X' }), variant('d2', { barcode: '123' }), variant('d3', { sku: 'X' })],
      [variant('s1', { barcode: '4006381333931', sku: 'Y' }), variant('s2', { barcode: '123' }), variant('s3', { barcode: '123' })],
      'barcode',
    );
    expect([...result.mappings]).toEqual([['d1', 's1']]);
    expect(result.ambiguous).toEqual([{ key: '123', destination: ['d2'], source: ['s2', 's3'] }]);
    expect(result.unmatched).toEqual(['d3']);
  });
});

describe('matchVariants by handle + options', () => {
  const opts = (...values: string[]): { name: string; value: string }[] => values.map((value, i) => ({ name: `o${i}`, value }));
  it('matches on handle and option values (case-insensitive, option names ignored)', () => {
    const result = matchVariants(
      [
        variant('d-m', { productHandle: 'Red-T-Shirt', options: [{ name: 'Colour', value: 'Red' }, { name: 'Size', value: 'M' }] }),
        variant('d-l', { productHandle: 'red-t-shirt', options: opts('Red', 'L') }),
        variant('d-xl', { productHandle: 'red-t-shirt', options: opts('Red', 'XL') }),
        variant('d-nohandle', { options: opts('Red', 'M') }),
        variant('d-hoodie', { productHandle: 'hoodie', options: opts('Default Title') }),
      ],
      [
        variant('s-m', { productHandle: 'red-t-shirt', options: [{ name: 'Color', value: 'red' }, { name: 'Size', value: 'm' }] }),
        variant('s-l', { productHandle: 'red-t-shirt', options: opts('Red', 'L') }),
        variant('s-hoodie1', { productHandle: 'hoodie', options: opts('Default Title') }),
        variant('s-hoodie2', { productHandle: 'hoodie', options: opts('default title') }),
      ],
      'handle_options',
    );
    expect([...result.mappings]).toEqual([
      ['d-m', 's-m'],
      ['d-l', 's-l'],
    ]);
    expect(result.ambiguous).toEqual([
      { key: 'hoodie\u001fdefault title', destination: ['d-hoodie'], source: ['s-hoodie1', 's-hoodie2'] },
    ]);
    expect(result.unmatched).toEqual(['d-nohandle', 'd-xl']);
  });
});

describe('catalogOf', () => {
  it('indexes variants by key and by product', () => {
    const catalog = catalogOf(
      [variant('1', { sku: 'A', productId: 'p1' }), variant('2', { sku: 'A', productId: 'p1' }), variant('3', { productId: 'p2' })],
      'sku',
    );
    expect([...catalog.index]).toEqual([['A', ['1', '2']]]);
    expect([...catalog.keys]).toEqual([
      ['1', 'A'],
      ['2', 'A'],
      ['3', null],
    ]);
    expect([...catalog.products]).toEqual([
      ['p1', ['1', '2']],
      ['p2', ['3']],
    ]);
  });
});

describe('applyProductChange', () => {
  const base: Omit<ProductChangeInput, 'side' | 'variants' | 'previous' | 'sameSide' | 'otherSide'> = { mode: 'sku', productId: 'p9' };

  it('a new destination product whose SKU the source has gets mapped', () => {
    const plan = applyProductChange({
      ...base,
      side: 'destination',
      variants: [variant('d1', { sku: 'A', productId: 'p9' }), variant('d2', { sku: null, productId: 'p9' })],
      previous: new Map(),
      sameSide: new Map(),
      otherSide: new Map([['A', ['s1']]]),
    });
    expect(plan).toEqual({
      side: 'destination',
      productId: 'p9',
      productVariants: ['d1', 'd2'],
      catalogSet: [
        ['d1', 'A'],
        ['d2', null],
      ],
      catalogRemove: [],
      indexSet: [['A', ['d1']]],
      indexRemove: [],
      mappingSet: [['d1', 's1']],
      mappingRemove: ['d2'],
      ambiguous: [],
    });
  });

  it('a destination SKU change moves the mapping and frees the old key for another variant', () => {
    const plan = applyProductChange({
      ...base,
      side: 'destination',
      variants: [variant('d1', { sku: 'B', productId: 'p9' })],
      previous: new Map([['d1', 'A']]),
      sameSide: new Map([
        ['A', ['d1', 'd7']],
        ['B', []],
      ]),
      otherSide: new Map([
        ['A', ['s1']],
        ['B', ['s2']],
      ]),
    });
    expect(plan.indexSet).toEqual([
      ['A', ['d7']],
      ['B', ['d1']],
    ]);
    // d7 was ambiguous with d1 under A; now it is alone and gets mapped.
    expect(plan.mappingSet).toEqual([
      ['d7', 's1'],
      ['d1', 's2'],
    ]);
    expect(plan.mappingRemove).toEqual([]);
  });

  it('a source product that duplicates a SKU makes the key ambiguous: mappings removed, reported', () => {
    expect(affectedKeys([variant('s2', { sku: 'A' })], new Map(), 'sku')).toEqual(['A']);
    const plan = applyProductChange({
      ...base,
      side: 'source',
      variants: [variant('s2', { sku: 'A', productId: 'p9' })],
      previous: new Map(),
      sameSide: new Map([['A', ['s1']]]),
      otherSide: new Map([['A', ['d1']]]),
    });
    expect(plan.mappingSet).toEqual([]);
    expect(plan.mappingRemove).toEqual(['d1']);
    expect(plan.ambiguous).toEqual([{ key: 'A', destination: ['d1'], source: ['s1', 's2'] }]);
  });

  it('a deleted source product unmaps its destination counterparts', () => {
    const plan = applyProductChange({
      ...base,
      side: 'source',
      variants: [],
      previous: new Map([['s1', 'A']]),
      sameSide: new Map([['A', ['s1']]]),
      otherSide: new Map([['A', ['d1']]]),
    });
    expect(plan).toMatchObject({ productVariants: [], catalogRemove: ['s1'], indexRemove: ['A'], mappingRemove: ['d1'], mappingSet: [] });
  });
});

describe('fetchAllVariants', () => {
  const node = (id: number, sku: string | null): unknown => ({
    id: `gid://shopify/ProductVariant/${id}`,
    legacyResourceId: String(id),
    sku,
    barcode: null,
    selectedOptions: [{ name: 'Size', value: 'M' }],
    product: { id: 'gid://shopify/Product/1', legacyResourceId: '1', handle: 'shirt' },
  });

  it('pages with the cursor and reports progress', async () => {
    const calls: Record<string, unknown>[] = [];
    const pages = [
      { productVariants: { pageInfo: { hasNextPage: true, endCursor: 'c1' }, nodes: [node(1, 'A'), node(2, 'B')] } },
      { productVariants: { pageInfo: { hasNextPage: false, endCursor: 'c2' }, nodes: [node(3, null)] } },
    ];
    const request: GraphqlRequest = (_query, variables) => {
      calls.push(variables);
      return Promise.resolve(pages[calls.length - 1]);
    };
    const progress: unknown[] = [];
    const variants = await fetchAllVariants(request, { pageSize: 2, onProgress: (p) => progress.push(p) });
    expect(calls).toEqual([
      { first: 2, after: null },
      { first: 2, after: 'c1' },
    ]);
    expect(progress).toEqual([
      { pages: 1, variants: 2, done: false },
      { pages: 2, variants: 3, done: true },
    ]);
    expect(variants[0]).toEqual({
      variantId: '1',
      productId: '1',
      sku: 'A',
      barcode: null,
      productHandle: 'shirt',
      options: [{ name: 'Size', value: 'M' }],
    });
  });

  it('rejects a response that is not a variant page', async () => {
    await expect(fetchAllVariants(() => Promise.resolve({ productVariants: null }))).rejects.toThrow(VariantFetchError);
    await expect(fetchAllVariants(() => Promise.resolve({ productVariants: null }))).rejects.toThrow(
      'productVariants page 1: productVariants: expected object, received null',
    );
  });
});

describe('productChangeTargets', () => {
  it('finds each connection a shop takes part in, with its side', () => {
    const connections = [
      { id: 'eu', sourceShop: 'main.myshopify.com', destinationShop: 'eu.myshopify.com' },
      { id: 'us', sourceShop: 'main.myshopify.com', destinationShop: 'us.myshopify.com' },
    ];
    expect(productChangeTargets(connections, 'main.myshopify.com').map((t) => [t.connection.id, t.side])).toEqual([
      ['eu', 'source'],
      ['us', 'source'],
    ]);
    expect(productChangeTargets(connections, 'us.myshopify.com').map((t) => [t.connection.id, t.side])).toEqual([['us', 'destination']]);
  });
});
