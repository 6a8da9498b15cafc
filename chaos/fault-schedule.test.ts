import { describe, expect, it } from 'vitest';
import { seededRandom } from '../simulator/core/random.js';
import { FAULT_KINDS, parseKinds, scheduleFaults } from './fault-schedule.js';

describe('fault schedule', () => {
  const opts = { kinds: FAULT_KINDS, fromMs: 1000, toMs: 100_000 };

  it('is the same for the same seed, and another for another seed', () => {
    expect(scheduleFaults(seededRandom(7), opts)).toEqual(scheduleFaults(seededRandom(7), opts));
    expect(scheduleFaults(seededRandom(8), opts)).not.toEqual(scheduleFaults(seededRandom(7), opts));
  });

  it('has every kind once, in time order inside the window, and adds before it removes', () => {
    for (let seed = 0; seed < 50; seed++) {
      const faults = scheduleFaults(seededRandom(seed), opts);
      expect(faults.map((f) => f.kind).sort()).toEqual([...FAULT_KINDS].sort());
      const times = faults.map((f) => f.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.min(...times)).toBeGreaterThanOrEqual(1000);
      expect(Math.max(...times)).toBeLessThanOrEqual(100_000);
      for (const kind of ['mapper', 'writer']) expect(faults.findIndex((f) => f.kind === `add-${kind}`)).toBeLessThan(faults.findIndex((f) => f.kind === `remove-${kind}`));
    }
  });

  it('rejects an unknown kind by name', () => {
    expect(() => parseKinds('kill-writer,kill-db')).toThrow(/unknown fault kind kill-db/);
  });
});
