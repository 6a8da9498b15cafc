import { describe, expect, it } from 'vitest';
import type { CanonicalDraft } from './model.js';
import { normalizeGraphqlDraft, normalizeGraphqlOrder } from './normalize-graphql.js';
import { normalizeRestDraft, normalizeRestOrder, parseDeleteBody } from './normalize-rest.js';
import { normalizeRestProduct } from './product.js';
import type { Result } from './result.js';
import { parseJsonKeepingBigInts } from './safe-json.js';
import { fixtureText } from '../../test/support/fixtures.js';

const EU = 'eu-brand.myshopify.com';
const fixture = fixtureText;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.value;
}

function reasonOf<T>(result: Result<T>): string {
  if (result.ok) throw new Error('expected a failure');
  return result.reason;
}

describe('parseJsonKeepingBigInts', () => {
  it('keeps ids above 2^53 exact and leaves everything else alone', () => {
    const text = '{"id":1152921504606846977,"neg":-9007199254740993,"safe":9007199254740991,"f":1.5e3,"s":"1152921504606846977 \\" 12345678901234567","n":[1,2]}';
    expect(JSON.parse(text).id).toBe(1152921504606846976); // what plain JSON.parse does
    expect(parseJsonKeepingBigInts(text)).toEqual({
      id: '1152921504606846977',
      neg: '-9007199254740993',
      safe: 9007199254740991,
      f: 1500,
      s: '1152921504606846977 " 12345678901234567',
      n: [1, 2],
    });
  });

  it('throws SyntaxError on invalid JSON like JSON.parse', () => {
    expect(() => parseJsonKeepingBigInts('{"id": 12345678901234567890')).toThrow(SyntaxError);
  });
});

describe('normalizeRestDraft', () => {
  it('normalises the seed draft, keeping its 2^60+1 id exact', () => {
    const draft = value(normalizeRestDraft(fixture('rest-draft-seed.json'), EU));
    expect(draft).toEqual<CanonicalDraft>({
      origin: { shop: EU, kind: 'draft', id: '1152921504606846977', name: '#D1' },
      version: '2026-03-01T09:05:00.000Z',
      status: 'OPEN',
      email: 'anna@example.com',
      phone: '+4915112345678',
      customer: { email: 'anna@example.com', firstName: 'Anna', lastName: 'Schmidt', phone: '+4915112345678' },
      shippingAddress: {
        firstName: 'Anna',
        lastName: 'Schmidt',
        company: null,
        address1: 'Hauptstr. 1',
        address2: null,
        city: 'Berlin',
        provinceCode: 'BE',
        countryCode: 'DE',
        zip: '10115',
        phone: null,
      },
      billingAddress: null,
      note: 'Please gift-wrap the hoodies',
      tags: ['vip', 'wholesale'],
      customAttributes: [
        { key: 'channel', value: 'phone' },
        { key: 'ref', value: '42' },
      ],
      lines: [
        {
          variantId: '45000000000001',
          productId: '8000000000001',
          title: 'Red T-Shirt',
          variantTitle: 'M',
          sku: 'TSHIRT-RED-M',
          quantity: 1,
          price: '19.00',
          taxable: true,
          requiresShipping: true,
          grams: 200,
          customAttributes: [{ key: 'engraving', value: 'A' }],
          appliedDiscount: null,
        },
        {
          variantId: '45000000000002',
          productId: '8000000000002',
          title: 'Blue Hoodie',
          variantTitle: 'L',
          sku: 'HOODIE-BLUE-L',
          quantity: 2,
          price: '30.00',
          taxable: true,
          requiresShipping: true,
          grams: 600,
          customAttributes: [],
          appliedDiscount: { title: null, description: null, value: '5.00', valueType: 'FIXED_AMOUNT' },
        },
      ],
      appliedDiscount: { title: 'LOYAL10', description: 'Loyalty', value: '10.0', valueType: 'PERCENTAGE' },
      shippingLine: { title: 'Standard', price: '4.90', currencyCode: 'EUR' },
      taxExempt: false,
      currency: 'EUR',
    });
  });

  it('accepts bytes and already parsed objects with safe ids', () => {
    const text = fixture('rest-draft-seed.json');
    expect(value(normalizeRestDraft(Buffer.from(text), EU)).origin.id).toBe('1152921504606846977');
    const parsed = JSON.parse(text.replace('1152921504606846977', '"1152921504606846977"')) as unknown;
    expect(value(normalizeRestDraft(parsed, EU)).origin.id).toBe('1152921504606846977');
  });

  it('refuses an already parsed object whose id lost precision', () => {
    const parsed = JSON.parse(fixture('rest-draft-seed.json')) as unknown;
    expect(reasonOf(normalizeRestDraft(parsed, EU))).toBe(
      'id: id above 2^53 arrived as a JSON number and lost precision; parse the raw body',
    );
  });

  it('treats lines without a variant as custom', () => {
    const body = JSON.parse(fixture('rest-draft-seed.json').replace('1152921504606846977', '1')) as { line_items: Record<string, unknown>[] };
    body.line_items[0] = { ...body.line_items[0], variant_id: null, product_id: null, custom: true };
    expect(value(normalizeRestDraft(body, EU)).lines[0]?.variantId).toBeNull();
  });

  const invalid: [string, (body: Record<string, unknown> & { line_items: Record<string, unknown>[] }) => void, string][] = [
    ['a negative quantity', (b) => (b.line_items[1]!.quantity = -2), 'line_items[1].quantity: expected a positive integer'],
    ['a fractional quantity', (b) => (b.line_items[0]!.quantity = 1.5), 'line_items[0].quantity: expected a positive integer'],
    ['a missing title', (b) => delete b.line_items[0]!.title, 'line_items[0].title: expected a string'],
    ['a non-numeric price', (b) => (b.line_items[0]!.price = 'cheap'), 'line_items[0].price: expected a decimal amount'],
    ['an unknown status', (b) => (b.status = 'archived'), 'status: expected one of open|invoice_sent|completed'],
    ['a bad timestamp', (b) => (b.updated_at = 'yesterday'), 'updated_at: expected an ISO-8601 timestamp'],
    ['a missing id', (b) => delete b.id, 'id: expected a numeric id'],
    ['line_items not a list', (b) => (b.line_items = 'x' as never), 'line_items: expected array, received string'],
    ['a bad variant id', (b) => (b.line_items[0]!.variant_id = 'abc'), 'line_items[0].variant_id: expected a numeric id'],
    ['a negative product id', (b) => (b.line_items[0]!.product_id = -4), 'line_items[0].product_id: expected a numeric id'],
    ['a missing status', (b) => delete b.status, 'status: required'],
    ['a flag of the wrong type', (b) => (b.line_items[0]!.taxable = 'yes'), 'line_items[0].taxable: expected boolean or null, received string'],
    ['a discount without its type', (b) => (b.applied_discount = { value: '5.0' }), 'applied_discount.value_type: required'],
    ['a numeric note', (b) => (b.note = 7), 'note: expected a string or null'],
  ];
  it.each(invalid)('rejects %s with a clear reason', (_name, mutate, reason) => {
    const body = JSON.parse(fixture('rest-draft-seed.json').replace('1152921504606846977', '1')) as Parameters<typeof mutate>[0];
    mutate(body);
    expect(normalizeRestDraft(body, EU)).toEqual({ ok: false, reason });
  });

  it('rejects bodies that are not drafts at all without throwing', () => {
    expect(reasonOf(normalizeRestDraft('not json', EU))).toMatch(/^body: invalid JSON/);
    expect(reasonOf(normalizeRestDraft('null', EU))).toBe('expected object, received null');
    expect(reasonOf(normalizeRestDraft('[1,2]', EU))).toBe('expected object, received array');
    expect(reasonOf(normalizeRestDraft(undefined, EU))).toBe('expected object, received undefined');
  });
});

describe('normalizeRestOrder', () => {
  it('normalises an orders/create body', () => {
    const order = value(normalizeRestOrder(fixture('rest-order-seed.json'), EU));
    expect(order.origin).toEqual({ shop: EU, kind: 'order', id: '820982911946154508', name: '#1001' });
    expect(order.status).toBe('OPEN');
    expect(order.version).toBe('2026-03-02T09:00:01.000Z');
    expect(order.tags).toEqual([]);
    expect(order.note).toBe('Leave at the door');
    expect(order.shippingLine).toEqual({ title: 'Express', price: '9.90', currencyCode: 'EUR' });
    expect(order.lines.map((l) => [l.variantId, l.title, l.quantity, l.price])).toEqual([
      ['45000000000002', 'Blue Hoodie', 1, '30.00'],
      [null, 'Gift note', 1, '2.00'],
    ]);
    expect(order.billingAddress?.company).toBe('Meyer GmbH');
  });

  it('leaves the version to the webhook when the body has no updated_at', () => {
    const body = fixture('rest-order-seed.json').replace(/"updated_at":\s*"[^"]*",?/, '');
    expect(body).not.toContain('updated_at');
    expect(value(normalizeRestOrder(Buffer.from(body), EU)).version).toBeNull();
  });

  it('drops lines edited down to zero', () => {
    const body = JSON.parse(fixture('rest-order-seed.json')) as { line_items: { quantity: number }[]; id: number };
    body.id = 1;
    body.line_items[1]!.quantity = 0;
    expect(value(normalizeRestOrder(body, EU)).lines).toHaveLength(1);
    body.line_items[1]!.quantity = -1;
    expect(reasonOf(normalizeRestOrder(body, EU))).toBe('line_items[1].quantity: expected a non-negative integer');
  });
});

describe('parseDeleteBody', () => {
  it('extracts exact ids', () => {
    expect(parseDeleteBody('{"id":1152921504606846977}')).toEqual({ ok: true, value: '1152921504606846977' });
    expect(parseDeleteBody({ id: 42 })).toEqual({ ok: true, value: '42' });
    expect(parseDeleteBody('{}')).toEqual({ ok: false, reason: 'id: expected a numeric id' });
  });
});

describe('normalizeGraphqlDraft', () => {
  it('yields the same canonical draft as the REST body of the same draft (up to number formatting)', () => {
    const fromGraphql = value(normalizeGraphqlDraft(JSON.parse(fixture('graphql-draft-seed.json')), EU));
    const fromRest = value(normalizeRestDraft(fixture('rest-draft-seed.json'), EU));
    const formatting = (d: CanonicalDraft): unknown => ({
      ...d,
      appliedDiscount: null,
      shippingLine: null,
      lines: d.lines.map((l) => ({ ...l, price: Number(l.price), appliedDiscount: l.appliedDiscount && Number(l.appliedDiscount.value) })),
    });
    expect(formatting(fromGraphql)).toEqual(formatting(fromRest));
    expect(fromGraphql.appliedDiscount).toEqual({ title: 'LOYAL10', description: 'Loyalty', value: '10', valueType: 'PERCENTAGE' });
    expect(fromGraphql.shippingLine).toEqual({ title: 'Standard', price: '4.9', currencyCode: 'EUR' });
  });

  it('accepts edges instead of nodes and GIDs', () => {
    const node = JSON.parse(fixture('graphql-draft-seed.json')) as { legacyResourceId: string; lineItems: { nodes?: unknown[]; edges?: unknown[] } };
    node.legacyResourceId = 'gid://shopify/DraftOrder/77';
    node.lineItems = { edges: (node.lineItems.nodes ?? []).map((n) => ({ node: n })) };
    const draft = value(normalizeGraphqlDraft(node, EU));
    expect(draft.origin.id).toBe('77');
    expect(draft.lines).toHaveLength(2);
  });

  it('refuses a truncated line list and invalid nodes', () => {
    const node = JSON.parse(fixture('graphql-draft-seed.json'));
    node.lineItems.pageInfo.hasNextPage = true;
    expect(reasonOf(normalizeGraphqlDraft(node, EU))).toBe('lineItems: more lines than fetched; fetch with a larger lineItems(first:)');
    const bad = JSON.parse(fixture('graphql-draft-seed.json'));
    bad.lineItems.nodes[1].quantity = 0;
    expect(reasonOf(normalizeGraphqlDraft(bad, EU))).toBe('lineItems.nodes[1].quantity: expected a positive integer');
    expect(reasonOf(normalizeGraphqlDraft({ ...bad, status: 'DRAFT' }, EU))).toBe('status: expected one of OPEN|INVOICE_SENT|COMPLETED');
    expect(reasonOf(normalizeGraphqlDraft(null, EU))).toBe('expected object, received null');
  });
});

describe('normalizeGraphqlOrder', () => {
  it('reads note, currentQuantity and presentment prices', () => {
    const order = value(
      normalizeGraphqlOrder(
        {
          legacyResourceId: '820982911946154508',
          name: '#1001',
          updatedAt: '2026-03-02T09:00:01Z',
          email: 'ben@example.com',
          phone: null,
          note: 'Leave at the door',
          tags: ['b2b'],
          taxExempt: false,
          currencyCode: 'EUR',
          presentmentCurrencyCode: 'EUR',
          customAttributes: [],
          customer: { firstName: 'Ben', lastName: 'Meyer', defaultEmailAddress: { emailAddress: 'ben@example.com' }, defaultPhoneNumber: null },
          shippingAddress: null,
          billingAddress: null,
          shippingLine: null,
          lineItems: {
            nodes: [
              {
                variant: { legacyResourceId: '45000000000002' },
                product: { legacyResourceId: '8000000000002' },
                title: 'Blue Hoodie',
                variantTitle: 'L',
                sku: 'HOODIE-BLUE-L',
                quantity: 3,
                currentQuantity: 2,
                taxable: true,
                requiresShipping: true,
                originalUnitPriceSet: { presentmentMoney: { amount: '30.0', currencyCode: 'EUR' } },
                weight: { unit: 'POUNDS', value: 1 },
                customAttributes: [],
              },
              {
                variant: null,
                product: null,
                title: 'Removed',
                variantTitle: null,
                sku: null,
                quantity: 1,
                currentQuantity: 0,
                taxable: true,
                requiresShipping: true,
                originalUnitPriceSet: { presentmentMoney: { amount: '1.0', currencyCode: 'EUR' } },
                weight: null,
                customAttributes: [],
              },
            ],
          },
        },
        EU,
      ),
    );
    expect(order.origin).toEqual({ shop: EU, kind: 'order', id: '820982911946154508', name: '#1001' });
    expect(order.note).toBe('Leave at the door');
    expect(order.customer).toEqual({ email: 'ben@example.com', firstName: 'Ben', lastName: 'Meyer', phone: null });
    expect(order.lines).toEqual([expect.objectContaining({ variantId: '45000000000002', quantity: 2, price: '30.0', grams: 454 })]);
  });
});

describe('normalizeRestProduct', () => {
  it('reads variants with their options in position order', () => {
    const product = value(
      normalizeRestProduct(
        '{"id":1152921504606846999,"handle":"blue-hoodie","updated_at":"2026-03-01T00:00:00Z","options":[{"name":"Size","position":2},{"name":"Color","position":1}],' +
          '"variants":[{"id":1152921504606847001,"sku":"HOODIE-BLUE-L","barcode":"","option1":"Blue","option2":"L","option3":null}]}',
        'mainbrand.myshopify.com',
      ),
    );
    expect(product).toEqual({
      shop: 'mainbrand.myshopify.com',
      productId: '1152921504606846999',
      handle: 'blue-hoodie',
      updatedAt: '2026-03-01T00:00:00Z',
      variants: [
        {
          variantId: '1152921504606847001',
          productId: '1152921504606846999',
          sku: 'HOODIE-BLUE-L',
          barcode: null,
          productHandle: 'blue-hoodie',
          options: [
            { name: 'Color', value: 'Blue' },
            { name: 'Size', value: 'L' },
          ],
        },
      ],
    });
    expect(reasonOf(normalizeRestProduct('{"id":"x"}', 'mainbrand.myshopify.com'))).toBe('id: expected a numeric id');
  });
});
