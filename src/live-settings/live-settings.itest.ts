// Live settings against the real servers: seeding from the file, saves in one transaction with
// their audit records, refusals that write nothing, instances following a change, and a
// restart keeping the saved settings over the file (reported as drift).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText, type AppConfig } from '../shared/config/index.js';
import type { Infra } from '../shared/infra.js';
import type { TopicNames } from '../shared/kafka/topics.js';
import { deleteKeys, freshTopics, testInfra, testKafka, uniqueId } from '../../test/support/infra.js';
import { waitFor } from '../../test/support/wait.js';
import { createLogger } from '../shared/log.js';
import { readHistory, runningInstances, startLiveConfig, waitUntilApplied, type LiveConfig } from './index.js';

const logger = createLogger('live-settings-itest', process.env.TEST_LOG_LEVEL ?? 'silent');

function fileConfig(extra: Record<string, unknown> = {}): AppConfig {
  return parseConfigText(
    JSON.stringify({
      stores: [
        { shop: 'main.myshopify.com', adminTokenEnv: 'T', webhookSecretEnvs: ['S'] },
        { shop: 'eu.myshopify.com', adminTokenEnv: 'T', webhookSecretEnvs: ['S'] },
      ],
      connections: [{ id: 'eu', source: 'main.myshopify.com', destination: 'eu.myshopify.com', ...extra }],
    }),
    { T: 't', S: 's' },
    'json',
  );
}

describe('live settings', () => {
  let topics: TopicNames;
  let infra: Infra;
  const opsPrefix = `${uniqueId('live-settings')}:`;
  const started: LiveConfig[] = [];
  const start = async (config: AppConfig, role: 'mapper' | 'writer' | null = 'writer'): Promise<LiveConfig> => {
    const live = await startLiveConfig(infra, config, { logger, role, seed: true });
    started.push(live);
    return live;
  };

  beforeAll(async () => {
    topics = await freshTopics(testKafka('live-settings'), 'live-settings', 1);
    infra = testInfra('live-settings', topics, { OPS_REDIS_PREFIX: opsPrefix });
  });

  afterAll(async () => {
    for (const live of started) await live.stop();
    await deleteKeys(infra.redis(), opsPrefix);
    const admin = await infra.admin();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await infra.close();
  });

  it('seeds a connection from the file once, with an audit record per field', async () => {
    const [a, b] = await Promise.all([start(fileConfig({ sendInvoice: true })), start(fileConfig({ sendInvoice: true }))]);
    expect(a.entry('eu')).toMatchObject({ revision: 1, changedBy: 'config', settings: { sendInvoice: true, draftOrderSync: true } });
    expect(b.entry('eu')?.revision).toBe(1);
    expect(a.config().connections[0]).toMatchObject({ id: 'eu', sendInvoice: true });
    const history = await readHistory(infra, 'eu');
    expect(history).toHaveLength(9);
    expect(history[0]).toMatchObject({ revision: 1, field: 'draftOrderSync', from: null, to: 'yes', by: 'config' });
  });

  it('refuses an invalid change whole, naming the field, and writes nothing', async () => {
    const live = started[0]!;
    const before = live.follower.position;
    const result = await live.writer.save(live.config(), { connectionId: 'eu', values: { draftOrderSync: 'no', unmapped: 'drop' }, by: 'alice' });
    expect(result).toEqual({ kind: 'invalid', problems: [{ field: 'unmapped', message: 'expected one of skip|partial|custom' }] });
    const [end] = await (await infra.admin()).fetchTopicOffsets(topics.settings);
    expect(BigInt(end!.high)).toBe(before);
    expect(live.entry('eu')?.settings.draftOrderSync).toBe(true);
    expect(await live.writer.save(live.config(), { connectionId: 'nope', values: {}, by: 'alice' })).toEqual({ kind: 'unknown-connection' });
  });

  it('saves a change with its audit, and every instance follows it', async () => {
    const [a, b] = started as [LiveConfig, LiveConfig];
    const heard: boolean[] = [];
    b.onChange((config) => heard.push(config.connections[0]!.draftOrderSync));
    const result = await a.writer.save(a.config(), { connectionId: 'eu', values: { draftOrderSync: 'no', originTag: 'off' }, by: 'alice', expectedRevision: 1 });
    if (result.kind !== 'saved') throw new Error(`expected saved, got ${result.kind}`);
    expect(result.entry).toMatchObject({ revision: 2, changedBy: 'alice', settings: { draftOrderSync: false, originTag: false } });
    expect(result.changes).toEqual([
      { field: 'draftOrderSync', from: true, to: false },
      { field: 'originTag', from: 'From {shop}', to: false },
    ]);
    await waitFor('the other instance to follow', () => b.config().connections[0]!.draftOrderSync === false);
    expect(heard).toEqual([false]);
    const confirmed = await waitUntilApplied(infra.redis(), opsPrefix, result.entry.offset, 10_000);
    expect(confirmed.behind).toEqual([]);
    expect(confirmed.following.map((r) => r.role)).toEqual(['writer', 'writer']);
    const history = await readHistory(infra, 'eu');
    expect(history.slice(9)).toEqual([
      expect.objectContaining({ revision: 2, field: 'draftOrderSync', from: 'yes', to: 'no', by: 'alice' }),
      expect.objectContaining({ revision: 2, field: 'originTag', from: 'From {shop}', to: 'off', by: 'alice' }),
    ]);
    // A form loaded before this save is refused rather than undoing it.
    const stale = await b.writer.save(b.config(), { connectionId: 'eu', values: { draftOrderSync: 'yes' }, by: 'bob', expectedRevision: 1 });
    expect(stale).toMatchObject({ kind: 'conflict', entry: { revision: 2 } });
    expect(await a.writer.save(a.config(), { connectionId: 'eu', values: { draftOrderSync: 'no' }, by: 'alice' })).toMatchObject({ kind: 'unchanged' });
  });

  it('keeps the saved settings over the file after a restart, and reports the difference', async () => {
    for (const live of started.splice(0)) await live.stop();
    expect(await runningInstances(infra.redis(), opsPrefix)).toEqual([]);
    const restarted = await start(fileConfig({ sendInvoice: true }));
    expect(restarted.entry('eu')?.revision).toBe(2);
    expect(restarted.config().connections[0]).toMatchObject({ draftOrderSync: false, originTag: false, sendInvoice: true });
    expect(restarted.drift()).toEqual([
      expect.stringMatching(/^connection eu: draftOrderSync is yes in the configuration file but no in the live settings \(revision 2, by alice at .*\); the live value applies$/),
      expect.stringMatching(/^connection eu: originTag is From \{shop\} in the configuration file but off in the live settings/),
    ]);
  });
});
