// The layout's rule, kept: dependency-cruiser checks every module against .dependency-cruiser.cjs
// (one direction of dependencies, no import circle, no service importing another's files).
import { createRequire } from 'node:module';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const rules = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as IConfiguration;

describe('code layout', () => {
  it('has every dependency pointing one way, and no import circle', { timeout: 60_000 }, async () => {
    const result = await cruise(['src', 'services', 'cli', 'demo', 'bench', 'chaos', 'test', 'simulator', 'stack'], { ...rules.options, validate: true, ruleSet: rules });
    if (typeof result.output === 'string') throw new Error('expected a cruise result object');
    const violations = result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
    expect(result.output.summary.totalCruised).toBeGreaterThan(200);
  });
});
