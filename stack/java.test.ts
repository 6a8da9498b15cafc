import { describe, expect, it } from 'vitest';
import { parseMajor } from './java.js';

describe('parseMajor', () => {
  it('reads modern and legacy version strings', () => {
    expect(parseMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseMajor('openjdk version "25.0.3" 2026-04-21 LTS')).toBe(25);
    expect(parseMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseMajor('nonsense')).toBeNull();
  });
});
