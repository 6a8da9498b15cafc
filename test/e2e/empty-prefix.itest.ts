// One settings reader, one rule for empty variables: with REDIS_KEY_PREFIX="" the mapper, the
// `mappings` commands, replay and the status page all read and write the same mapping keys
// (they once disagreed: `??` in some places, `||` in others).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMappingCommands } from '../../cli/commands/mappings.js';
import { CliSession, type Io } from '../../cli/session.js';
import { mapperOptions } from '../../services/mapper/src/env-options.js';
import { startMapper, type RunningMapper } from '../../services/mapper/src/mapper.js';
import { statusOptions } from '../../services/status/src/env-options.js';
import { startStatus, type RunningStatus } from '../../services/status/src/status.js';
import type { StatusView } from '../../services/status/src/view.js';
import { runReplay } from '../../src/ops/replay/replay.js';
import { DEFAULT_MAPPING_PREFIX, loadConfig, loadSettings, type AppConfig, type Settings } from '../../src/shared/config/index.js';
import { Infra } from '../../src/shared/infra.js';
import { createLogger } from '../../src/shared/log.js';
import { deleteByPrefix } from '../../src/shared/redis.js';
import { fixtureJson } from '../support/fixtures.js';
import { envelopeOf, RawFeeder, readMapped } from '../support/mapper-harness.js';
import { uniqueId } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

const SOURCE = 'mainbrand.myshopify.com';
const MAPPED_VARIANT = '45000000000001';
const UNMAPPED_VARIANT = '45000000000002';

describe('REDIS_KEY_PREFIX="" (empty means unset, everywhere)', () => {
  const run = uniqueId('empty-prefix');
  const connection = `c-${run}`;
  const destination = `${run}.myshopify.com`;
  const dir = mkdtempSync(join(tmpdir(), 'empty-prefix-'));
  const configFile = join(dir, 'config.json');
  const env = { ...process.env, TOPIC_PREFIX: `${run}.`, REDIS_KEY_PREFIX: '', DOS_CONFIG: configFile, T: 'token', S: 'secret' };
  let settings: Settings;
  let config: AppConfig;
  let infra: Infra;
  let mapper: RunningMapper | undefined;
  let status: RunningStatus | undefined;
  const logger = createLogger('empty-prefix', process.env.TEST_LOG_LEVEL ?? 'silent');

  /** Runs `draft-sync mappings …` in-process with the same environment. */
  const mappings = async (...args: string[]): Promise<string> => {
    let out = '';
    const io: Io = { out: (text) => void (out += text), err: () => undefined };
    const program = new Command('draft-sync').exitOverride();
    registerMappingCommands(program, new CliSession(env, io));
    await program.parseAsync(['mappings', ...args, '--connection', connection], { from: 'user' });
    return out;
  };

  beforeAll(async () => {
    writeFileSync(
      configFile,
      JSON.stringify({
        stores: [SOURCE, destination].map((shop) => ({ shop, adminTokenEnv: 'T', webhookSecretEnvs: ['S'] })),
        connections: [{ id: connection, source: SOURCE, destination, unmapped: 'partial' }],
      }),
    );
    settings = loadSettings(env);
    config = loadConfig(settings.configPath, env);
    infra = new Infra({ settings: settings.infra, names: settings.names, clientId: 'empty-prefix', logger });
  });

  afterAll(async () => {
    await status?.stop();
    await mapper?.stop();
    await deleteByPrefix(infra.redis(), `${DEFAULT_MAPPING_PREFIX}map:{${connection}}`);
    const admin = await infra.admin();
    await admin.deleteTopics({ topics: Object.values(infra.topics) }).catch(() => undefined);
    await infra.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is read as the default prefix', () => {
    expect(settings.names.mappingPrefix).toBe(DEFAULT_MAPPING_PREFIX);
    expect(settings.names.opsPrefix).toBe(`${DEFAULT_MAPPING_PREFIX}ops:`);
  });

  it('lets the mappings commands, the mapper, replay and the status page see the same mappings', { timeout: 120_000 }, async () => {
    // The CLI writes a mapping; the mapper maps with it and records the unmapped variant.
    expect(await mappings('set', MAPPED_VARIANT, '9101')).toContain('9101');
    mapper = await startMapper({ config, logger, metricsRegistry: new Registry(), ...mapperOptions(settings), opsPort: 0 });
    const feeder = await RawFeeder.start(infra.kafka(), infra.registry(), infra.topics);
    const body = JSON.stringify({ ...fixtureJson('rest-draft-seed.json'), id: 77 });
    await feeder.send(envelopeOf({ topic: 'draft_orders/update', shop: destination, originId: '77', body }));
    await feeder.stop();
    const live = await readMapped(infra.kafka(), infra.registry(), infra.topics.mapped, (r) => r.length >= 1);
    expect(live[0]!.value.draft!.lines).toContainEqual(expect.objectContaining({ kind: 'variant', sourceVariantId: 'gid://shopify/ProductVariant/9101' }));
    expect(live[0]!.value.missingVariants).toEqual([UNMAPPED_VARIANT]);

    // The CLI sees what the mapper recorded.
    await waitFor('the unmapped variant listed by the CLI', async () => (await mappings('unmapped')).includes(UNMAPPED_VARIANT));

    // The status page reads the same keys.
    status = await startStatus({ config, logger, metricsRegistry: new Registry(), ...statusOptions(settings), port: 0, pollIntervalMs: 200 });
    await waitFor('the status page showing the unmapped variant', async () => {
      const view = (await (await fetch(`${status!.url}/api/status`)).json()) as StatusView;
      return view.connections.find((c) => c.connectionId === connection)?.mapping.unmapped.includes(UNMAPPED_VARIANT);
    });

    // Replay maps with the same mapping store.
    const summary = await runReplay(infra, config, { fromMs: 0, force: false, waitMs: 0, followOutcomes: false });
    expect(summary.redriven).toBe(1);
    const all = await readMapped(infra.kafka(), infra.registry(), infra.topics.mapped, (r) => r.some((x) => x.value.recordSource === 'replay'));
    const replayed = all.find((x) => x.value.recordSource === 'replay')!.value;
    expect(replayed.draft!.lines).toContainEqual(expect.objectContaining({ kind: 'variant', sourceVariantId: 'gid://shopify/ProductVariant/9101' }));
  });
});
