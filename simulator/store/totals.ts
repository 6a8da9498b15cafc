// Draft order arithmetic. Taxes are not simulated (always 0); discounts and shipping are.
import type { AppliedDiscount, DraftLine, DraftOrder } from './model.js';

export function unitPriceCents(line: DraftLine): number {
  return line.priceOverrideCents ?? line.originalUnitPriceCents;
}

function discountCents(discount: AppliedDiscount | null, baseCents: number, quantity = 1): number {
  if (!discount) return 0;
  const raw =
    discount.valueType === 'PERCENTAGE'
      ? Math.round((baseCents * discount.value) / 100)
      : Math.round(discount.value * 100) * quantity;
  return Math.min(baseCents, Math.max(0, raw));
}

export function lineOriginalTotalCents(line: DraftLine): number {
  return unitPriceCents(line) * line.quantity;
}

export function lineDiscountCents(line: DraftLine): number {
  const total = lineOriginalTotalCents(line);
  const perUnit = line.appliedDiscount?.valueType === 'FIXED_AMOUNT' ? line.quantity : 1;
  return discountCents(line.appliedDiscount, total, perUnit);
}

export function lineDiscountedTotalCents(line: DraftLine): number {
  return lineOriginalTotalCents(line) - lineDiscountCents(line);
}

export interface DraftTotals {
  lineItemsCents: number;
  subtotalCents: number;
  orderDiscountCents: number;
  totalDiscountsCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  quantity: number;
  grams: number;
}

export function draftTotals(draft: DraftOrder): DraftTotals {
  const lineItemsCents = draft.lines.reduce((sum, l) => sum + lineOriginalTotalCents(l), 0);
  const afterLineDiscounts = draft.lines.reduce((sum, l) => sum + lineDiscountedTotalCents(l), 0);
  const orderDiscountCents = discountCents(draft.appliedDiscount, afterLineDiscounts);
  const subtotalCents = afterLineDiscounts - orderDiscountCents;
  const shippingCents = draft.shippingLine?.priceCents ?? 0;
  return {
    lineItemsCents,
    subtotalCents,
    orderDiscountCents,
    totalDiscountsCents: lineItemsCents - subtotalCents,
    shippingCents,
    taxCents: 0,
    totalCents: subtotalCents + shippingCents,
    quantity: draft.lines.reduce((sum, l) => sum + l.quantity, 0),
    grams: draft.lines.reduce((sum, l) => sum + l.grams * l.quantity, 0),
  };
}

export function appliedDiscountAmountCents(discount: AppliedDiscount, baseCents: number, quantity = 1): number {
  return discountCents(discount, baseCents, quantity);
}
