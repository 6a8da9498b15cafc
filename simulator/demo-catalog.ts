// The demo's catalog: both stores sell "Red T-Shirt" and "Blue Hoodie" (same handles, options,
// SKUs and barcodes; each store has its own variant ids and prices), plus a few more products —
// one of them only in the destination, so unmapped lines can be shown.
import type { CustomerSeed, ProductSeed } from './store/store.js';

export const SOURCE_SHOP = 'mainbrand.myshopify.com';
export const DESTINATION_SHOP = 'eu-brand.myshopify.com';

function sharedCatalog(prices: { tee: string; hoodie: string; cap: string; socks: string }): ProductSeed[] {
  return [
    {
      title: 'Red T-Shirt',
      handle: 'red-t-shirt',
      productType: 'Shirts',
      options: ['Size'],
      variants: [
        { sku: 'RED-TS-S', barcode: '4006381333901', price: prices.tee, options: ['S'], grams: 180 },
        { sku: 'RED-TS-M', barcode: '4006381333918', price: prices.tee, options: ['M'], grams: 200 },
        { sku: 'RED-TS-L', barcode: '4006381333925', price: prices.tee, options: ['L'], grams: 220 },
      ],
    },
    {
      title: 'Blue Hoodie',
      handle: 'blue-hoodie',
      productType: 'Hoodies',
      options: ['Size'],
      variants: [
        { sku: 'BLUE-HD-M', barcode: '4006381334007', price: prices.hoodie, options: ['M'], grams: 550 },
        { sku: 'BLUE-HD-L', barcode: '4006381334014', price: prices.hoodie, options: ['L'], grams: 600 },
      ],
    },
    {
      title: 'Black Cap',
      handle: 'black-cap',
      productType: 'Accessories',
      variants: [{ sku: 'BLK-CAP', barcode: '4006381334106', price: prices.cap, grams: 90 }],
    },
    {
      title: 'Sport Socks',
      handle: 'sport-socks',
      productType: 'Accessories',
      options: ['Color', 'Pack'],
      variants: [
        { sku: 'SOCK-WHT-2', barcode: '4006381334205', price: prices.socks, options: ['White', '2-pack'], grams: 80 },
        { sku: 'SOCK-BLK-2', barcode: '4006381334212', price: prices.socks, options: ['Black', '2-pack'], grams: 80 },
      ],
    },
  ];
}

/** Catalog of the central (source) store. */
export const SOURCE_CATALOG: ProductSeed[] = sharedCatalog({ tee: '25.00', hoodie: '59.00', cap: '19.00', socks: '9.50' });

/** Catalog of the destination store: the shared products at EU prices, plus one of its own. */
export const DESTINATION_CATALOG: ProductSeed[] = [
  ...sharedCatalog({ tee: '22.90', hoodie: '54.90', cap: '17.90', socks: '8.90' }),
  {
    title: 'EU Exclusive Scarf',
    handle: 'eu-exclusive-scarf',
    productType: 'Accessories',
    variants: [{ sku: 'EU-SCARF', barcode: '4006381334304', price: '29.90', grams: 150 }],
  },
];

/** A customer who exists in the source store (drafts for this email get linked to her). */
export const SOURCE_CUSTOMERS: CustomerSeed[] = [
  { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', phone: '+4915112345678' },
];

export const DESTINATION_CUSTOMERS: CustomerSeed[] = [
  { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', phone: '+4915112345678' },
  { email: 'max.mustermann@example.de', firstName: 'Max', lastName: 'Mustermann' },
];
