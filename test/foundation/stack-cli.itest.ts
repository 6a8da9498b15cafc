// `npm run stack -- up` / `down` start real servers and leave no process behind.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../stack/paths.js';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'stack-cli-test-'));

function stackCli(cmd: string): string {
  // Without the connection env vars and with its own state dir, `up` must start its own servers.
  const env: NodeJS.ProcessEnv = { ...process.env, STACK_STATE_DIR: stateDir, STACK_PROVIDER: 'local' };
  delete env.KAFKA_BROKERS;
  delete env.SCHEMA_REGISTRY_URL;
  return execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'stack/cli.ts'), cmd], {
    env,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

afterAll(() => {
  try {
    stackCli('down');
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

describe('stack CLI', () => {
  it('starts Kafka and the registry, prints KEY=value settings, and down stops them', { timeout: 300_000 }, () => {
    const out = stackCli('up');
    expect(out).toMatch(/^KAFKA_BROKERS=127\.0\.0\.1:\d+$/m);
    expect(out).toMatch(/^SCHEMA_REGISTRY_URL=http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/m);
    expect(out).toMatch(/^REDIS_URL=redis:\/\//m);
    expect(readFileSync(path.join(stateDir, 'env'), 'utf8')).toBe(out);
    const state = JSON.parse(readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as { processes: { pid: number }[]; runDir: string };
    expect(state.processes).toHaveLength(2);
    for (const p of state.processes) expect(alive(p.pid)).toBe(true);

    // A second `up` finds everything running and starts nothing.
    expect(stackCli('up')).toBe(out);

    stackCli('down');
    for (const p of state.processes) expect(alive(p.pid)).toBe(false);
    expect(() => readFileSync(path.join(stateDir, 'state.json'))).toThrow();
  });
});
