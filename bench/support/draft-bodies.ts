// Realistic REST draft-order webhook bodies (~3 KB, several lines) for benchmarks.

export interface DraftBodyOptions {
  readonly id: number;
  readonly shop: string;
  /** Destination variant ids for the lines. */
  readonly variantIds: readonly number[];
  readonly updatedAt?: string;
  /** Per line (default 1 + index % 3). */
  readonly quantities?: readonly number[];
  readonly note?: string;
}

export function draftBody(o: DraftBodyOptions): string {
  const lines = o.variantIds.map((variantId, i) => ({
    id: o.id * 10 + i,
    variant_id: variantId,
    product_id: 8_000_000_000_000 + variantId,
    title: `Product ${variantId}`,
    variant_title: 'M / Blue',
    sku: `SKU-${variantId}`,
    vendor: 'EU Brand',
    quantity: o.quantities?.[i] ?? 1 + (i % 3),
    price: `${19 + i}.90`,
    custom: false,
    taxable: true,
    requires_shipping: true,
    gift_card: false,
    grams: 250,
    applied_discount: null,
    properties: [{ name: 'engraving', value: 'none' }],
    tax_lines: [],
    name: `Product ${variantId} - M / Blue`,
  }));
  const address = {
    first_name: 'Anna',
    last_name: 'Schmidt',
    company: null,
    address1: 'Hauptstrasse 1',
    address2: '',
    city: 'Berlin',
    province: 'Berlin',
    province_code: 'BE',
    country: 'Germany',
    country_code: 'DE',
    zip: '10115',
    phone: '+4915112345678',
    name: 'Anna Schmidt',
  };
  return JSON.stringify({
    id: o.id,
    admin_graphql_api_id: `gid://shopify/DraftOrder/${o.id}`,
    name: `#D${o.id % 100000}`,
    status: 'open',
    email: `customer${o.id % 1000}@example.com`,
    note: o.note ?? 'Please deliver between 9 and 5; call ahead.',
    tags: 'wholesale, priority',
    currency: 'EUR',
    presentment_currency: 'EUR',
    taxes_included: true,
    tax_exempt: false,
    created_at: '2026-11-01T10:00:00+01:00',
    updated_at: o.updatedAt ?? '2026-11-01T10:05:00+01:00',
    completed_at: null,
    invoice_sent_at: null,
    invoice_url: `https://${o.shop}/1/invoices/${o.id}`,
    order_id: null,
    note_attributes: [{ name: 'channel', value: 'phone' }],
    applied_discount: null,
    shipping_line: { title: 'Standard', custom: true, handle: null, price: '4.90' },
    line_items: lines,
    customer: { id: 7_000_000_000_000 + (o.id % 1000), email: `customer${o.id % 1000}@example.com`, first_name: 'Anna', last_name: 'Schmidt', phone: '+4915112345678' },
    shipping_address: address,
    billing_address: address,
    tax_lines: [],
    subtotal_price: '99.00',
    total_tax: '0.00',
    total_price: '103.90',
  });
}

/** A deterministic pseudo-random generator, so runs are comparable. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
