// `draft-sync mappings …` as an operator runs it (a child process), against two simulated
// stores (Admin API) and the real Redis.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisMappingStore } from '../../src/variant-mappings/index.js';
import type { RedisClient } from '../../src/shared/redis.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import type { ProductSeed } from '../../simulator/store/store.js';
import { deleteKeys, infraEnv, testRedis, uniqueId } from '../../test/support/infra.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = 'mainbrand.myshopify.com';
const DESTINATION = 'eu-brand.myshopify.com';
const run = promisify(execFile);

/** 300 variants with unique SKUs: more than one 250-variant page on each side. */
const BULK: ProductSeed[] = [0, 1, 2].map((p) => ({
  title: `Bulk ${p}`,
  options: ['N'],
  variants: Array.from({ length: 100 }, (_, v) => ({ sku: `BULK-${p}-${v}`, price: '1.00', options: [String(v)] })),
}));
const SHARED: ProductSeed[] = [
  { title: 'Red T-Shirt', options: ['Size'], variants: ['S', 'M', 'L'].map((s) => ({ sku: `RED-TS-${s}`, price: '20', options: [s] })) },
  { title: 'Blue Hoodie', options: ['Size'], variants: ['M', 'L'].map((s) => ({ sku: `BLUE-HD-${s}`, price: '50', options: [s] })) },
];

describe('draft-sync mappings', () => {
  let sim: Simulator;
  let redis: RedisClient;
  let dir: string;
  let configPath: string;
  const prefix = `${uniqueId('cli-mappings')}:`;

  const cli = async (...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'cli/draft-sync.ts', 'mappings', ...args, '--config', configPath], {
        cwd: ROOT,
        env: { ...process.env, REDIS_URL: infraEnv().redisUrl, REDIS_KEY_PREFIX: prefix, SRC_TOKEN: sim.store(SOURCE).accessToken, DST_TOKEN: sim.store(DESTINATION).accessToken, SECRET: 's' },
      });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout: string; stderr: string; code: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    }
  };

  beforeAll(async () => {
    sim = await startSimulator({ stores: [{ shop: SOURCE }, { shop: DESTINATION }] });
    redis = testRedis();
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-mappings-'));
    configPath = path.join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'stores:',
        `  - shop: ${SOURCE}`,
        '    adminTokenEnv: SRC_TOKEN',
        '    webhookSecretEnvs: [SECRET]',
        `    adminApiUrl: ${sim.adminBaseUrl(SOURCE)}`,
        `  - shop: ${DESTINATION}`,
        '    adminTokenEnv: DST_TOKEN',
        '    webhookSecretEnvs: [SECRET]',
        `    adminApiUrl: ${sim.adminBaseUrl(DESTINATION)}`,
        'connections:',
        `  - { id: eu, source: ${SOURCE}, destination: ${DESTINATION}, variantMatch: sku }`,
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await sim?.close();
    if (redis) {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds the mappings from both stores: matches, ambiguities and misses reported, throttling waited out', async () => {
    const source = sim.store(SOURCE);
    const destination = sim.store(DESTINATION);
    source.seedProducts([...SHARED, ...BULK, { title: 'Twin A', variants: [{ sku: 'DUP-1', price: '5' }] }, { title: 'Twin B', variants: [{ sku: 'DUP-1', price: '5' }] }]);
    destination.seedProducts([...SHARED, ...BULK, { title: 'Twin', variants: [{ sku: 'DUP-1', price: '5' }] }, { title: 'EU Scarf', variants: [{ sku: 'EU-SCARF', price: '30' }] }]);
    // The destination store (read first) starts with an empty bucket: its first page comes back THROTTLED.
    // Real refill rate (100/s): the CLI's start-up (~2 s) cannot refill the ~750 points a page reserves.
    destination.setThrottle({ currentlyAvailable: 0, timeScale: 1 });
    // A mapping set by hand before the build survives it.
    const store = new RedisMappingStore(redis, { prefix });
    await store.set('eu', '1', '2');

    const { stdout, stderr, code } = await cli('build', '--connection', 'eu', '--json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as { mapped: number; ambiguous: { key: string; destination: string[]; source: string[] }[]; unmatched: string[]; mappingsStored: number };
    expect(report.mapped).toBe(305);
    expect(report.ambiguous).toEqual([
      { key: 'DUP-1', destination: [String(destination.variantBySku('DUP-1').id)], source: expect.arrayContaining([expect.any(String), expect.any(String)]) as unknown },
    ]);
    expect(report.ambiguous[0]!.source).toHaveLength(2);
    expect(report.unmatched).toEqual([String(destination.variantBySku('EU-SCARF').id)]);
    expect(report.mappingsStored).toBe(306);
    // Paginated, with progress on stderr.
    expect(stderr).toMatch(/destination eu-brand\.myshopify\.com: page 2, \d+ variants \(done\)/);
    expect(stderr).toMatch(/source mainbrand\.myshopify\.com: page 2, \d+ variants \(done\)/);
    expect(destination.stats.throttled).toBeGreaterThan(0);

    expect(await store.get('eu', String(destination.variantBySku('RED-TS-M').id))).toBe(String(source.variantBySku('RED-TS-M').id));
    expect(await store.get('eu', String(destination.variantBySku('BULK-2-99').id))).toBe(String(source.variantBySku('BULK-2-99').id));
    expect(await store.get('eu', String(destination.variantBySku('DUP-1').id))).toBeNull();
    expect(await store.get('eu', '1')).toBe('2');

    destination.setThrottle({ currentlyAvailable: 2000 });
    const human = await cli('build', '--connection', 'eu');
    expect(human.stdout).toMatch(/mapped: +305\n/);
    expect(human.stdout).toMatch(/ambiguous: 1 key\(s\)[^\n]*\n {2}DUP-1: destination \[\d+\] ↔ source \[\d+, \d+\]/);
    expect(human.stdout).toContain(`unmatched: 1 destination variant(s)\n  ${destination.variantBySku('EU-SCARF').id}`);
  });

  it('sets, gets, lists, deletes single mappings and lists unmapped variants', async () => {
    const set = await cli('set', '--connection', 'eu', 'gid://shopify/ProductVariant/777', '888');
    expect(set).toMatchObject({ code: 0, stdout: '777 → 888\n' });
    expect((await cli('get', '--connection', 'eu', '777')).stdout).toBe('777 → 888\n');
    const manual = await cli('list', '--connection', 'eu', '--manual');
    expect(manual.stdout).toBe('1 2\n777 888\n');
    const all = await cli('list', '--connection', 'eu');
    expect(all.stdout.split('\n').filter(Boolean)).toHaveLength(307);
    expect((await cli('delete', '--connection', 'eu', '777')).stdout).toBe('deleted 777\n');
    const missing = await cli('get', '--connection', 'eu', '777');
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('777: not mapped');

    await new RedisMappingStore(redis, { prefix }).recordUnmapped([{ connectionId: 'eu', variantIds: ['4242', '4343'] }]);
    expect((await cli('unmapped', '--connection', 'eu')).stdout).toBe('4242\n4343\n');

    const unknown = await cli('get', '--connection', 'nope', '1');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no connection "nope"');
    const help = await cli('set', '--help');
    expect(help.stdout).toContain('<destinationVariantId> <sourceVariantId>');
  });
});
