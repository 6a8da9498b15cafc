// The short chaos run in `npm test`: fewer drafts, one fault of each kind, on a broker and Redis
// of its own (the shared ones are never faulted). The full suite is `npm run chaos`.
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from './fault-schedule.js';
import { jsonLine, table } from './report.js';
import { runChaos } from './run.js';

describe('chaos (short)', () => {
  it('loses, duplicates and leaves stale nothing a 200 acknowledged, through one fault of each kind', { timeout: 240_000 }, async () => {
    const seed = Number(process.env.CHAOS_SEED ?? 16);
    const result = await runChaos({
      seed,
      drafts: 100,
      rate: 14,
      kinds: FAULT_KINDS,
      // All at their times, overlapping: the most stress for the promises in the least time.
      overlap: true,
      mappers: 2,
      writers: 3,
      kafkaBrokers: 1,
      redisCluster: false,
      sessionTimeoutMs: undefined,
      downMs: 2000,
      drainTimeoutMs: 90_000,
      registryUrl: process.env.SCHEMA_REGISTRY_URL,
      log: (msg) => void (process.env.CHAOS_LOG && process.stderr.write(`[chaos] ${msg}\n`)),
    });
    process.stderr.write(`${table(result)}\n${jsonLine(result)}\n`);
    expect(result.faults.map((f) => f.kind).sort()).toEqual([...FAULT_KINDS].sort());
    expect({ lost: result.check.lost, duplicates: result.check.duplicates, mismatched: result.check.mismatched, unanswered: result.check.unanswered }).toEqual({
      lost: 0,
      duplicates: 0,
      mismatched: 0,
      unanswered: 0,
    });
    // A writer paused past its session timeout applies a late, older version unless it is fenced (issue #15).
    expect(result.check.stale, result.check.examples.join('\n')).toBe(0);
    for (const f of result.faults) expect(f.readyAfterS, `${f.kind}: every service ready again`).not.toBeNull();
  });
});
