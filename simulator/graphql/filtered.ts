// Applies a list field's `query:` argument with that list's search spec, reporting unknown
// search fields the way Shopify does (extensions.search).
import { collectWarnings, matches, type SearchSpec } from '../search/search-filter.js';
import { parseSearchQuery } from '../search/search-query.js';
import type { RequestContext } from './context.js';

export function filtered<T>(ctx: RequestContext, field: string, query: unknown, items: T[], spec: SearchSpec<T>): T[] {
  if (typeof query !== 'string' || !query.trim()) return items;
  const expr = parseSearchQuery(query);
  const warnings = collectWarnings(expr, spec);
  if (warnings.length) ctx.searchReports.push({ path: [field], query, warnings });
  return items.filter((item) => matches(item, expr, spec));
}
