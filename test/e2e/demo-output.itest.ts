// `npm start`'s demo as a user runs it (a child process, `--exit`): it syncs the seed draft and
// its output carries no kafkajs error or warning line (the retried conditions of a healthy
// start are logged at debug).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../stack/paths.js';

function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts', '--exit'], { cwd: projectRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the demo (npm start)', () => {
  it('syncs the seed example and prints no kafkajs error or warning', { timeout: 120_000 }, async () => {
    const { code, output } = await runDemo();
    expect(output).toContain('synced correctly');
    expect(output).toMatch(/connection settings \(live, audited\) at http:\/\/127\.0\.0\.1:\d+\/settings\?token=[0-9a-f]{32}\n/);
    expect(code).toBe(0);
    const noisy = output.split('\n').filter((line) => line.includes('"kafkajs"') && /"level":(40|50|60)/.test(line));
    expect(noisy).toEqual([]);
  });
});
