import { describe, expect, it } from 'vitest';
import { forgetUnassigned, partitionName } from './batch-handler.js';

describe('forgetUnassigned', () => {
  it('keeps the failures of partitions still assigned and forgets the others', () => {
    const failing = new Set([partitionName('raw', 0), partitionName('raw', 3), partitionName('old', 1)]);
    forgetUnassigned(failing, new Map([['raw', [0, 1, 2]]]));
    expect([...failing]).toEqual(['raw/0']);
  });

  it('forgets everything when nothing is assigned (the group took every partition away)', () => {
    const failing = new Set([partitionName('raw', 2)]);
    forgetUnassigned(failing, new Map());
    expect(failing.size).toBe(0);
  });
});
