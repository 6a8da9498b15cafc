// Money in minor units; rendering in Shopify's two textual forms.

/** "12.5" / 12.5 → 1250. Throws on anything that is not a decimal number. */
export function toCents(value: unknown): number {
  const text = typeof value === 'number' ? value.toFixed(2) : typeof value === 'string' ? value.trim() : '';
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal amount: ${String(value)}`);
  return Math.round(Number(text) * 100);
}

/** GraphQL `Decimal`/`Money` as Shopify renders it: "12.5", "10.0". */
export function decimalString(cents: number): string {
  const text = (cents / 100).toString();
  return text.includes('.') ? text : `${text}.0`;
}

/** REST money: always two decimals, "10.00". */
export function restMoney(cents: number): string {
  return (cents / 100).toFixed(2);
}
