// `draft-sync settings get|set|history` as an operator runs it (a child process), against the
// real Kafka, registry and Redis: the same validation as the page (refused whole, the field
// named, exit 2), the audit trail, the revision check, the backfill offer.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../src/shared/kafka/topics.js';
import { deleteKeys, infraEnv, testInfra, uniqueId } from '../../test/support/infra.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

describe('draft-sync settings', () => {
  const id = uniqueId('cli-settings');
  const env = { TOPIC_PREFIX: `${id}.`, REDIS_KEY_PREFIX: `${id}:` };
  let dir: string;
  let configPath: string;

  const cli = async (...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
    const { brokers, registryUrl, redisUrl } = infraEnv();
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'cli/draft-sync.ts', 'settings', ...args, '--config', configPath], {
        cwd: ROOT,
        env: { ...process.env, KAFKA_BROKERS: brokers, SCHEMA_REGISTRY_URL: registryUrl, REDIS_URL: redisUrl, ...env, T: 't', S: 's' },
      });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout: string; stderr: string; code: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-settings-'));
    configPath = path.join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'stores:',
        '  - { shop: main.myshopify.com, adminTokenEnv: T, webhookSecretEnvs: [S] }',
        '  - { shop: eu.myshopify.com, adminTokenEnv: T, webhookSecretEnvs: [S] }',
        'connections:',
        '  - { id: eu, source: main.myshopify.com, destination: eu.myshopify.com }',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const infra = testInfra('cli-settings', topicNames(env.TOPIC_PREFIX));
    await deleteKeys(infra.redis(), env.REDIS_KEY_PREFIX);
    const admin = await infra.admin();
    await admin.deleteTopics({ topics: Object.values(infra.topics) }).catch(() => undefined);
    await infra.close();
  });

  it('gets, refuses invalid values with their field, sets, checks the revision and lists the history', { timeout: 60_000 }, async () => {
    const fresh = await cli('get', '--connection', 'eu');
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/^connection eu \(eu\.myshopify\.com → main\.myshopify\.com\): not seeded yet, the configuration file applies\n/);
    expect(fresh.stdout).toMatch(/^ {2}sendInvoice +no +Send an invoice of the synced draft$/m);

    const refused = await cli('set', '--connection', 'eu', 'sendInvoice=yes', 'unmapped=drop', 'colour=red');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('refused, nothing was changed:\n  unmapped: expected one of skip|partial|custom\n  colour: not a connection setting (one of draftOrderSync, orderTrigger, sendInvoice, originTag, variantMatch, unmapped, prices, onCompleted, onSourceEdited)\n');

    const off = await cli('set', '--connection', 'eu', 'draftOrderSync=no', 'sendInvoice=yes', '--by', 'oncall', '--wait', '1s');
    expect(off.code).toBe(0);
    expect(off.stdout).toBe('connection eu: revision 2 saved\n  draftOrderSync: yes → no\n  sendInvoice: no → yes\nin force on 0 running instance(s)\n');

    const stale = await cli('set', '--connection', 'eu', 'draftOrderSync=yes', '--revision', '1');
    expect(stale.code).toBe(2);
    expect(stale.stdout).toMatch(/^refused: connection eu is at revision 2 \(by oncall\)/);

    const on = await cli('set', '--connection', 'eu', 'draftOrderSync=yes', '--by', 'oncall', '--wait', '1s');
    expect(on.stdout).toMatch(/\nSync was off: bring over the drafts changed meanwhile with\n {2}npm run draft-sync -- backfill --shop eu\.myshopify\.com --since \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);

    const got = await cli('get', '--connection', 'eu', '--json');
    expect(JSON.parse(got.stdout)).toMatchObject({ revision: 3, changedBy: 'oncall', settings: { draftOrderSync: true, sendInvoice: true } });

    const history = await cli('history', '--connection', 'eu');
    const lines = history.stdout.trim().split('\n');
    expect(lines).toHaveLength(9 + 3);
    expect(lines[0]).toMatch(/^\S+ {2}eu {2}r1 {2}draftOrderSync: \(seeded\) → yes {2}by config$/);
    expect(lines.slice(9).map((l) => l.replace(/^\S+ {2}/, ''))).toEqual([
      'eu  r2  draftOrderSync: yes → no  by oncall',
      'eu  r2  sendInvoice: no → yes  by oncall',
      'eu  r3  draftOrderSync: no → yes  by oncall',
    ]);
  });
});
