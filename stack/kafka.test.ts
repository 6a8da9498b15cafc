import { describe, expect, it } from 'vitest';
import { newClusterId } from './kafka.js';

describe('newClusterId', () => {
  it('is 22 base64url characters and never starts with "-" (StorageTool would take it for an option)', () => {
    // One random id in 64 starts with '-': 5000 draws miss that with probability ~1e-34.
    const ids = Array.from({ length: 5000 }, newClusterId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
