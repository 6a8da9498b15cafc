import { describe, expect, it } from 'vitest';
import { hasDigitRun, parseJsonKeepingBigInts } from './safe-json.js';

describe('hasDigitRun', () => {
  it('agrees with /\\d{n}/ on random digit-heavy strings', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let t = 0; t < 20_000; t++) {
      let text = '';
      const size = Math.floor(random() * 60);
      for (let i = 0; i < size; i++) text += random() < 0.8 ? String(Math.floor(random() * 10)) : 'x,"'[Math.floor(random() * 3)];
      const n = 1 + Math.floor(random() * 18);
      expect(hasDigitRun(text, n), `${JSON.stringify(text)} ${n}`).toBe(new RegExp(`\\d{${n}}`).test(text));
    }
  });

  it('finds runs at the edges and keeps 16-digit ids exact', () => {
    expect(hasDigitRun('1234567890123456', 16)).toBe(true);
    expect(hasDigitRun('x1234567890123456', 16)).toBe(true);
    expect(hasDigitRun('123456789012345x', 16)).toBe(false);
    expect(parseJsonKeepingBigInts('{"id":1152921504606846977,"n":8000000000001}')).toEqual({ id: '1152921504606846977', n: 8000000000001 });
  });
});
