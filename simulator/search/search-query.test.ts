import { describe, expect, it } from 'vitest';
import { collectWarnings, matchAnyText, matchDate, matches, matchText, type SearchSpec } from './search-filter.js';
import { parseSearchQuery } from './search-query.js';

interface Rec {
  tags: string[];
  status: string;
  updatedAt: number;
}

const spec: SearchSpec<Rec> = {
  fields: {
    tag: (r, t) => matchAnyText(r.tags, t),
    status: (r, t) => matchText(r.status, t),
    updated_at: (r, t) => matchDate(r.updatedAt, t),
  },
  text: () => false,
};

const rec: Rec = { tags: ['dos-sync:eu-brand/draft/42', 'From eu-brand'], status: 'OPEN', updatedAt: Date.parse('2026-01-15T10:00:00Z') };

describe('Shopify search syntax', () => {
  it('parses quoted values, comparators, negation and OR', () => {
    expect(parseSearchQuery(`tag:'From eu-brand' updated_at:>'2026-01-01T00:00:00Z'`)).toEqual({
      kind: 'and',
      items: [
        { kind: 'term', field: 'tag', comparator: ':', value: 'From eu-brand', prefix: false },
        { kind: 'term', field: 'updated_at', comparator: '>', value: '2026-01-01T00:00:00Z', prefix: false },
      ],
    });
    expect(parseSearchQuery('-tag:x OR status:open')).toMatchObject({ kind: 'or' });
  });

  it('matches tags exactly (case-insensitive), statuses, dates and wildcards', () => {
    const ok = (q: string): boolean => matches(rec, parseSearchQuery(q), spec);
    expect(ok(`tag:"dos-sync:eu-brand/draft/42"`)).toBe(true);
    expect(ok(`tag:'from EU-BRAND'`)).toBe(true);
    expect(ok('tag:dos-sync')).toBe(false);
    expect(ok('tag:dos-sync*')).toBe(true);
    expect(ok('status:open')).toBe(true);
    expect(ok('status:completed OR tag:missing')).toBe(false);
    expect(ok('NOT status:completed')).toBe(true);
    expect(ok("updated_at:>'2026-01-15T09:59:59Z'")).toBe(true);
    expect(ok("updated_at:>'2026-01-15T10:00:00Z'")).toBe(false);
    expect(ok('updated_at:>=2026-01-15')).toBe(true);
    expect(ok('updated_at:2026-01-15')).toBe(true);
  });

  it('ignores unknown fields and reports them as warnings', () => {
    const expr = parseSearchQuery('bogus:1 status:open');
    expect(matches(rec, expr, spec)).toBe(true);
    expect(collectWarnings(expr, spec)).toEqual([{ field: 'bogus', message: 'Invalid search field for this query.' }]);
  });
});
