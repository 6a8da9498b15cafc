// Products as the mapping needs them: each variant with the keys it can be matched by.
// Built from products/create|update webhook bodies and from Admin API variant listings.
import { z } from 'zod';
import type { VariantMatchMode } from './connection.js';
import { numericId, optionalText } from './fields.js';
import { fail, ok, type Result } from './result.js';
import { parseBody } from './safe-json.js';
import { firstIssueReason } from './validation.js';

export interface VariantOption {
  readonly name: string;
  readonly value: string;
}

/** One variant of one store, with its matching keys. */
export interface VariantKeys {
  readonly variantId: string;
  readonly productId: string | null;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly productHandle: string | null;
  /** In the product's option order. */
  readonly options: readonly VariantOption[];
}

/** A product's current variants (a products/create|update webhook). */
export interface ProductSnapshot {
  readonly shop: string;
  readonly productId: string;
  readonly handle: string | null;
  readonly updatedAt: string | null;
  readonly variants: readonly VariantKeys[];
}

/**
 * The key two variants are matched by, or null when the variant has none (it is then
 * unmatched, never matched on an empty key). SKUs and barcodes compare exactly after
 * trimming; handle + option values compare case-insensitively (option names may differ
 * between stores, e.g. Color/Colour, so only values count).
 */
export function matchKeyOf(variant: VariantKeys, mode: VariantMatchMode): string | null {
  switch (mode) {
    case 'sku':
      return blankToNull(variant.sku);
    case 'barcode':
      return blankToNull(variant.barcode);
    case 'handle_options': {
      const handle = blankToNull(variant.productHandle);
      if (handle === null) return null;
      const values = variant.options.map((option) => option.value.trim().toLowerCase());
      return [handle.toLowerCase(), ...values].join('\u001f');
    }
  }
}

function blankToNull(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

const restVariant = z.object({
  id: numericId,
  sku: optionalText,
  barcode: optionalText,
  option1: optionalText,
  option2: optionalText,
  option3: optionalText,
});

const restProduct = z.object({
  id: numericId,
  handle: optionalText,
  updated_at: optionalText,
  options: z.array(z.object({ name: z.string(), position: z.number().int().optional() })).nullish(),
  variants: z.array(restVariant).nullish(),
});

/** A products/create|update body (raw text/bytes preferred: keeps big ids exact). */
export function normalizeRestProduct(body: unknown, shop: string): Result<ProductSnapshot> {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  const result = restProduct.safeParse(parsed.value);
  if (!result.success) return fail(firstIssueReason(result.error));
  const p = result.data;
  const optionNames = [...(p.options ?? [])]
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((option) => option.name);
  const variants = (p.variants ?? []).map((v): VariantKeys => {
    const values = [v.option1, v.option2, v.option3];
    const options: VariantOption[] = [];
    values.forEach((value, index) => {
      if (value !== null) options.push({ name: optionNames[index] ?? `option${index + 1}`, value });
    });
    return { variantId: v.id, productId: p.id, sku: v.sku, barcode: v.barcode, productHandle: p.handle, options };
  });
  return ok({ shop, productId: p.id, handle: p.handle, updatedAt: p.updated_at, variants });
}
