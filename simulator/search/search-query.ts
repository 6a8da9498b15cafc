// Shopify's search syntax as used by the `query:` argument of list fields:
//   tag:foo  tag:'two words'  status:open  updated_at:>'2026-01-01T00:00:00Z'  sku:RED*
//   -tag:x  NOT tag:x  a OR b  a AND b  (a OR b) c
// Parsed into a small boolean tree; evaluation against records lives in search-filter.ts.

export type Comparator = ':' | '>' | '>=' | '<' | '<=';

export interface Term {
  kind: 'term';
  /** Undefined for free text. */
  field?: string;
  comparator: Comparator;
  value: string;
  /** `value*`: prefix match. */
  prefix: boolean;
}

export type SearchExpr =
  | Term
  | { kind: 'and'; items: SearchExpr[] }
  | { kind: 'or'; items: SearchExpr[] }
  | { kind: 'not'; item: SearchExpr }
  | { kind: 'all' };

type Token = { type: 'word'; text: string; quoted: boolean } | { type: '(' | ')' };

function readQuoted(input: string, start: number): { text: string; end: number } {
  const quote = input[start];
  let text = '';
  let i = start + 1;
  for (; i < input.length && input[i] !== quote; i++) {
    if (input[i] === '\\' && i + 1 < input.length) i++;
    text += input[i];
  }
  return { text, end: i + 1 };
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch });
      i++;
    } else if (ch === '"' || ch === "'") {
      const { text, end } = readQuoted(input, i);
      tokens.push({ type: 'word', text, quoted: true });
      i = end;
    } else {
      // A word runs to whitespace or a paren; a quoted part after `field:` belongs to it.
      let text = '';
      let quoted = false;
      while (i < input.length && !/[\s()]/.test(input[i] ?? '')) {
        const c = input[i] ?? '';
        if ((c === '"' || c === "'") && /:[<>=]*$/.test(text)) {
          const q = readQuoted(input, i);
          text += q.text;
          quoted = true;
          i = q.end;
          break;
        }
        text += c;
        i++;
      }
      tokens.push({ type: 'word', text, quoted });
    }
  }
  return tokens;
}

function toTerm(text: string, quoted: boolean): Term {
  const match = /^([A-Za-z_][A-Za-z0-9_.]*):(>=|<=|>|<)?(.*)$/s.exec(text);
  const field = match ? match[1] : undefined;
  const comparator: Comparator = match ? ((match[2] as Comparator | undefined) ?? ':') : ':';
  let value = match ? (match[3] ?? '') : text;
  let prefix = false;
  if (!quoted && value.endsWith('*')) {
    prefix = true;
    value = value.slice(0, -1);
  }
  return { kind: 'term', field, comparator, value, prefix };
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.type === 'word' && !t.quoted ? t.text : undefined;
  }

  parseOr(): SearchExpr {
    const items = [this.parseAnd()];
    while (this.peekWord() === 'OR') {
      this.pos++;
      items.push(this.parseAnd());
    }
    return items.length === 1 && items[0] ? items[0] : { kind: 'or', items };
  }

  private parseAnd(): SearchExpr {
    const items: SearchExpr[] = [];
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t?.type === ')' || this.peekWord() === 'OR') break;
      if (this.peekWord() === 'AND') {
        this.pos++;
        continue;
      }
      items.push(this.parseUnary());
    }
    if (items.length === 1 && items[0]) return items[0];
    return items.length === 0 ? { kind: 'all' } : { kind: 'and', items };
  }

  private parseUnary(): SearchExpr {
    const t = this.tokens[this.pos++];
    if (!t || t.type === ')') return { kind: 'all' };
    if (t.type === '(') {
      const inner = this.parseOr();
      if (this.tokens[this.pos]?.type === ')') this.pos++;
      return inner;
    }
    if (t.type !== 'word') return { kind: 'all' };
    if (!t.quoted && t.text === 'NOT') return { kind: 'not', item: this.parseUnary() };
    if (!t.quoted && t.text.startsWith('-') && t.text.length > 1) {
      return { kind: 'not', item: toTerm(t.text.slice(1), t.quoted) };
    }
    return toTerm(t.text, t.quoted);
  }
}

export function parseSearchQuery(query: string | null | undefined): SearchExpr {
  if (!query?.trim()) return { kind: 'all' };
  return new Parser(tokenize(query)).parseOr();
}
