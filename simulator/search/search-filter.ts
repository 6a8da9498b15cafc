// Evaluates a parsed search query against records. Each list field declares which search
// fields it supports; a term naming any other field is ignored and reported as a warning, as
// Shopify does in `extensions.search`.
import type { SearchExpr, Term } from './search-query.js';

export type FieldMatcher<T> = (record: T, term: Term) => boolean;

export interface SearchSpec<T> {
  fields: Record<string, FieldMatcher<T>>;
  /** Free-text terms (no `field:`). */
  text: FieldMatcher<T>;
}

export interface SearchWarning {
  field: string;
  message: string;
}

export function collectWarnings<T>(expr: SearchExpr, spec: SearchSpec<T>, into: SearchWarning[] = []): SearchWarning[] {
  switch (expr.kind) {
    case 'term':
      if (expr.field !== undefined && !(expr.field in spec.fields) && !into.some((w) => w.field === expr.field)) {
        into.push({ field: expr.field, message: 'Invalid search field for this query.' });
      }
      break;
    case 'and':
    case 'or':
      for (const item of expr.items) collectWarnings(item, spec, into);
      break;
    case 'not':
      collectWarnings(expr.item, spec, into);
      break;
    case 'all':
      break;
  }
  return into;
}

export function matches<T>(record: T, expr: SearchExpr, spec: SearchSpec<T>): boolean {
  switch (expr.kind) {
    case 'all':
      return true;
    case 'and':
      return expr.items.every((item) => matches(record, item, spec));
    case 'or':
      return expr.items.some((item) => matches(record, item, spec));
    case 'not':
      return !matches(record, expr.item, spec);
    case 'term': {
      if (expr.field === undefined) return spec.text(record, expr);
      const matcher = spec.fields[expr.field];
      return matcher ? matcher(record, expr) : true; // unknown field: ignored (and warned)
    }
  }
}

// ---- value matchers shared by the list fields ----

/** Case-insensitive equality (or prefix with `value*`). */
export function matchText(actual: string | null | undefined, term: Term): boolean {
  if (actual === null || actual === undefined) return false;
  const a = actual.toLowerCase();
  const v = term.value.toLowerCase();
  return term.prefix ? a.startsWith(v) : a === v;
}

export function matchAnyText(values: readonly string[], term: Term): boolean {
  return values.some((value) => matchText(value, term));
}

/** Free text: case-insensitive substring of any of the values. */
export function matchFreeText(values: readonly (string | null | undefined)[], term: Term): boolean {
  const v = term.value.toLowerCase();
  return values.some((value) => value?.toLowerCase().includes(v) ?? false);
}

function compare(actual: number, comparator: Term['comparator'], expected: number): boolean {
  switch (comparator) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case ':':
      return actual === expected;
  }
}

export function matchNumber(actual: number, term: Term): boolean {
  const expected = Number(term.value);
  return Number.isFinite(expected) && compare(actual, term.comparator, expected);
}

/** Dates: `updated_at:>2026-01-01` or a full timestamp; `:` with a bare date means that day (UTC). */
export function matchDate(actualMs: number, term: Term): boolean {
  const value = term.value;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const expected = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(expected)) return false;
  if (term.comparator === ':' && dateOnly) return actualMs >= expected && actualMs < expected + 86_400_000;
  // Shopify compares at second precision.
  return compare(Math.floor(actualMs / 1000), term.comparator, Math.floor(expected / 1000));
}
