// Shopify retries a failed delivery 8 times over about 4 hours. The exact intervals are not
// published; these grow roughly exponentially and add up to 4 h.
export const SHOPIFY_RETRY_DELAYS_MS: readonly number[] = [
  10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_700_000,
];

/** Shopify waits 5 s in all for a 2xx answer. */
export const DELIVERY_TIMEOUT_MS = 5_000;
