import { describe, expect, it } from 'vitest';
import type { ConnectionSettings } from './connection.js';
import { syncTagFor } from './keys.js';
import { mapDelete, mergeLookupRequests, mapDraft, type MapContext } from './map-draft.js';
import type { CanonicalDraft, MappedLine } from './model.js';
import { normalizeRestDraft, normalizeRestOrder } from './normalize-rest.js';
import { cleanTag, formatOriginTag, normalizeTags } from './tags.js';
import { fixtureText } from '../../test/support/fixtures.js';

const EU = 'eu-brand.myshopify.com';
const MAIN = 'mainbrand.myshopify.com';
const fixture = fixtureText;

function canonical(name: string, kind: 'draft' | 'order' = 'draft'): CanonicalDraft {
  const result = kind === 'draft' ? normalizeRestDraft(fixture(name), EU) : normalizeRestOrder(fixture(name), EU);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

const connection: ConnectionSettings = {
  id: 'eu-brand',
  sourceShop: MAIN,
  destinationShop: EU,
  draftOrderSync: true,
  orderTrigger: false,
  sendInvoice: false,
  originTag: 'From {shop}',
  variantMatch: 'sku',
  unmapped: 'skip',
  prices: 'source',
  onCompleted: 'tag',
  onSourceEdited: 'flag',
};
const ctx: MapContext = { recordSource: 'webhook', rawId: 'webhook-1', envelopeTime: { version: '2026-03-03T00:00:00.000Z', clock: 'TRIGGERED_AT' } };
const RED = '45000000000001';
const BLUE = '45000000000002';
const allMapped = new Map([
  [RED, '49000000000011'],
  [BLUE, '49000000000022'],
]);
const onlyRed = new Map([[RED, '49000000000011']]);

describe('mapDraft: the seed example', () => {
  it('maps eu-brand’s draft to mainbrand’s variants with customer, note, tags and origin tag', () => {
    const mapped = mapDraft(canonical('rest-draft-seed.json'), connection, allMapped, ctx);
    expect(mapped).toMatchObject({
      key: `${EU}/draft/1152921504606846977`,
      origin: { shop: EU, kind: 'draft', id: '1152921504606846977', name: '#D1' },
      connectionId: 'eu-brand',
      sourceShop: MAIN,
      action: 'UPSERT',
      version: '2026-03-01T09:05:00.000Z',
      skipReason: null,
      missingVariants: [],
      sendInvoice: false,
      onCompleted: 'TAG',
      force: false,
      recordSource: 'webhook',
      rawId: 'webhook-1',
    });
    const draft = mapped.draft!;
    expect(draft.lines).toEqual<MappedLine[]>([
      {
        kind: 'variant',
        sourceVariantId: 'gid://shopify/ProductVariant/49000000000011',
        quantity: 1,
        priceOverride: null,
        customAttributes: [{ key: 'engraving', value: 'A' }],
        appliedDiscount: null,
      },
      {
        kind: 'variant',
        sourceVariantId: 'gid://shopify/ProductVariant/49000000000022',
        quantity: 2,
        priceOverride: null,
        customAttributes: [],
        appliedDiscount: { title: null, description: null, value: '5.00', valueType: 'FIXED_AMOUNT' },
      },
    ]);
    expect(draft.customer).toEqual({ email: 'anna@example.com', firstName: 'Anna', lastName: 'Schmidt', phone: '+4915112345678' });
    expect(draft.email).toBe('anna@example.com');
    expect(draft.note).toBe('Please gift-wrap the hoodies');
    expect(draft.tags).toEqual(['vip', 'wholesale', 'From eu-brand']);
    expect(draft.shippingAddress?.city).toBe('Berlin');
    expect(draft.customAttributes).toEqual([
      { key: 'channel', value: 'phone' },
      { key: 'ref', value: '42' },
    ]);
    expect(draft.presentmentCurrency).toBeNull();
  });

  it('carries destination prices over when the connection says so', () => {
    const mapped = mapDraft(canonical('rest-draft-seed.json'), { ...connection, prices: 'destination' }, allMapped, ctx);
    expect(mapped.draft?.lines.map((l) => (l.kind === 'variant' ? l.priceOverride : null))).toEqual([
      { amount: '19.00', currencyCode: 'EUR' },
      { amount: '30.00', currencyCode: 'EUR' },
    ]);
    expect(mapped.draft?.presentmentCurrency).toBe('EUR');
  });

  it('passes invoice and completion settings and the context through', () => {
    const mapped = mapDraft(
      canonical('rest-draft-seed.json'),
      { ...connection, sendInvoice: true, onCompleted: 'delete' },
      allMapped,
      { ...ctx, recordSource: 'replay', rawId: 'r-9', force: true },
    );
    expect(mapped).toMatchObject({ sendInvoice: true, onCompleted: 'DELETE', force: true, recordSource: 'replay', rawId: 'r-9' });
  });
});

describe('mapDraft: orders', () => {
  const order = canonical('rest-order-seed.json', 'order');

  it('skips orders while the order trigger is off', () => {
    expect(mapDraft(order, connection, allMapped, ctx)).toMatchObject({ action: 'SKIP', skipReason: 'ORDER_TRIGGER_OFF', draft: null });
  });

  it('creates a draft whose note names the original order', () => {
    const mapped = mapDraft(order, { ...connection, orderTrigger: true }, allMapped, ctx);
    expect(mapped.key).toBe(`${EU}/order/820982911946154508`);
    expect(mapped.action).toBe('UPSERT');
    expect(mapped.draft?.note).toBe(`Created from order #1001 in ${EU}\n\nLeave at the door`);
    expect(mapped.draft?.tags).toEqual(['From eu-brand']);
    // The order's custom line (no variant) stays custom.
    expect(mapped.draft?.lines).toEqual([
      expect.objectContaining({ kind: 'variant', sourceVariantId: 'gid://shopify/ProductVariant/49000000000022', quantity: 1 }),
      {
        kind: 'custom',
        title: 'Gift note',
        quantity: 1,
        price: { amount: '2.00', currencyCode: 'EUR' },
        sku: null,
        taxable: false,
        requiresShipping: false,
        grams: 0,
        customAttributes: [],
        appliedDiscount: null,
      },
    ]);
  });
});

describe('mapDraft: settings and guards', () => {
  it('skips everything on a disabled connection (recorded, not lost)', () => {
    const mapped = mapDraft(canonical('rest-draft-seed.json'), { ...connection, draftOrderSync: false }, allMapped, ctx);
    expect(mapped).toMatchObject({ action: 'SKIP', skipReason: 'SYNC_DISABLED', draft: null, key: `${EU}/draft/1152921504606846977` });
  });

  it('skips a draft carrying a sync tag (loop guard)', () => {
    const draft = canonical('rest-draft-seed.json');
    const ours = { ...draft, tags: [...draft.tags, syncTagFor(`${MAIN}/draft/1`)] };
    expect(mapDraft(ours, connection, allMapped, ctx)).toMatchObject({ action: 'SKIP', skipReason: 'LOOP' });
  });

  it('turns a completed origin into COMPLETE', () => {
    const draft = { ...canonical('rest-draft-seed.json'), status: 'COMPLETED' as const };
    expect(mapDraft(draft, connection, new Map(), ctx)).toMatchObject({ action: 'COMPLETE', draft: null, skipReason: null });
  });

  it('omits the origin tag when turned off and keeps tags within Shopify’s rules', () => {
    const draft = { ...canonical('rest-draft-seed.json'), tags: ['VIP', 'vip', 'a,b', 'x'.repeat(60), ' '] };
    const mapped = mapDraft(draft, { ...connection, originTag: false }, allMapped, ctx);
    expect(mapped.draft?.tags).toEqual(['VIP', 'a b', 'x'.repeat(40)]);
  });
});

describe('mapDraft: unmapped policies', () => {
  const draft = canonical('rest-draft-seed.json');

  it('skip: not synced, the missing variants listed', () => {
    const mapped = mapDraft(draft, connection, onlyRed, ctx);
    expect(mapped).toMatchObject({ action: 'SKIP', skipReason: 'UNMAPPED', missingVariants: [BLUE], draft: null });
  });

  it('partial: the mapped lines, with a note of what was left out', () => {
    const mapped = mapDraft(draft, { ...connection, unmapped: 'partial' }, onlyRed, ctx);
    expect(mapped.action).toBe('UPSERT');
    expect(mapped.missingVariants).toEqual([BLUE]);
    expect(mapped.draft?.lines).toHaveLength(1);
    expect(mapped.draft?.lines[0]).toMatchObject({ kind: 'variant', quantity: 1 });
    expect(mapped.draft?.note).toBe(
      `Please gift-wrap the hoodies\n\nNot synced (no product mapping):\n- 2× Blue Hoodie - L (SKU HOODIE-BLUE-L, variant ${BLUE})`,
    );
  });

  it('partial with nothing mapped: skipped as UNMAPPED', () => {
    const mapped = mapDraft(draft, { ...connection, unmapped: 'partial' }, new Map(), ctx);
    expect(mapped).toMatchObject({ action: 'SKIP', skipReason: 'UNMAPPED', missingVariants: [RED, BLUE] });
  });

  it('custom: unmapped lines become custom lines with title, price and SKU', () => {
    const mapped = mapDraft(draft, { ...connection, unmapped: 'custom' }, onlyRed, ctx);
    expect(mapped.action).toBe('UPSERT');
    expect(mapped.missingVariants).toEqual([BLUE]);
    expect(mapped.draft?.note).toBe('Please gift-wrap the hoodies');
    expect(mapped.draft?.lines[1]).toEqual({
      kind: 'custom',
      title: 'Blue Hoodie - L',
      quantity: 2,
      price: { amount: '30.00', currencyCode: 'EUR' },
      sku: 'HOODIE-BLUE-L',
      taxable: true,
      requiresShipping: true,
      grams: 600,
      customAttributes: [],
      appliedDiscount: { title: null, description: null, value: '5.00', valueType: 'FIXED_AMOUNT' },
    });
  });
});

describe('mapDelete', () => {
  it('becomes a DELETE for the same key, or a skip on a disabled connection', () => {
    const version = ctx.envelopeTime.version;
    expect(mapDelete(EU, 'draft', '1152921504606846977', connection, ctx)).toEqual({
      key: `${EU}/draft/1152921504606846977`,
      origin: { shop: EU, kind: 'draft', id: '1152921504606846977', name: null },
      connectionId: 'eu-brand',
      sourceShop: MAIN,
      action: 'DELETE',
      version,
      draft: null,
      skipReason: null,
      missingVariants: [],
      sendInvoice: false,
      onCompleted: 'TAG',
      onSourceEdited: 'FLAG',
      versionClock: 'TRIGGERED_AT',
      force: false,
      recordSource: 'webhook',
      rawId: 'webhook-1',
    });
    expect(mapDelete(EU, 'draft', '1', { ...connection, draftOrderSync: false }, ctx)).toMatchObject({
      action: 'SKIP',
      skipReason: 'SYNC_DISABLED',
    });
  });
});

describe('batch helpers', () => {
  it('merges lookups per connection, each variant id once', () => {
    expect(
      mergeLookupRequests([
        { connectionId: 'a', variantIds: [RED, BLUE] },
        { connectionId: 'b', variantIds: [BLUE] },
        { connectionId: 'a', variantIds: [BLUE, RED] },
      ]),
    ).toEqual([
      { connectionId: 'a', variantIds: [RED, BLUE] },
      { connectionId: 'b', variantIds: [BLUE] },
    ]);
  });
});

describe('tags', () => {
  it('formats the origin tag from the shop name', () => {
    expect(formatOriginTag('From {shop}', EU)).toBe('From eu-brand');
    expect(formatOriginTag('{shop}', 'custom-domain.example')).toBe('custom-domain.example');
    expect(formatOriginTag(false, EU)).toBeNull();
    expect(formatOriginTag('Synced from the store called {shop}', 'a-very-long-destination-shop-name.myshopify.com')).toHaveLength(40);
  });

  it('never cuts inside a surrogate pair', () => {
    const tag = cleanTag(`${'a'.repeat(39)}😀😀`);
    expect(Array.from(tag)).toHaveLength(40);
    expect(tag.endsWith('😀')).toBe(true);
    expect(normalizeTags(['A', 'a', ''])).toEqual(['A']);
  });
});
