// JSON.parse loses integers above 2^53 (Shopify ids reach 2^60). Before parsing, integer
// literals outside strings that are not safe integers are quoted, so they arrive as exact
// decimal strings. Node 20 has no JSON.parse source-text access, hence the small scanner.

const MIN_UNSAFE_DIGITS = 16;

/** JSON.parse that keeps every unsafe integer as its exact decimal string. Throws SyntaxError like JSON.parse. */
export function parseJsonKeepingBigInts(text: string): unknown {
  // Fast path: without a run of 16 digits no literal can exceed 2^53 (9007199254740991 has 16).
  if (!hasDigitRun(text, MIN_UNSAFE_DIGITS)) return JSON.parse(text);
  return JSON.parse(quoteUnsafeIntegers(text));
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Whether `text` holds `length` consecutive digits. Probes every `length`-th character: a
 * non-digit there rules out every run through it, so mostly-non-digit text (JSON bodies full
 * of 13-digit ids) is checked in a fraction of the steps /\d{16}/ takes, which retries at
 * every position inside each digit run.
 */
export function hasDigitRun(text: string, length: number): boolean {
  const n = text.length;
  let i = length - 1;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i += length;
      continue;
    }
    let start = i;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    while (end < n && isDigit(text.charCodeAt(end))) end++;
    if (end - start >= length) return true;
    i = end + length; // text[end] is not a digit: the next run ends at end + length or later
  }
  return false;
}

function isNumberStart(code: number): boolean {
  return code === 45 /* - */ || (code >= 48 && code <= 57);
}

function isNumberChar(code: number): boolean {
  // digits, '-', '+', '.', 'e', 'E'
  return (code >= 48 && code <= 57) || code === 45 || code === 43 || code === 46 || code === 101 || code === 69;
}

function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) {
      // Skip the string, honouring escapes.
      i++;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) i += 2;
        else if (c === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if (isNumberStart(code)) {
      const start = i;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(copiedUpTo, start) + '"' + literal + '"';
        copiedUpTo = i;
      }
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Parses a raw body (string or bytes) safely; anything else is taken as already parsed. */
export function parseBody(body: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    try {
      return { ok: true, value: parseJsonKeepingBigInts(text) };
    } catch (error) {
      return { ok: false, reason: `body: invalid JSON (${error instanceof Error ? error.message : String(error)})` };
    }
  }
  return { ok: true, value: body };
}
