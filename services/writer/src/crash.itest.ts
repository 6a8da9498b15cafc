// Kill -9 the writer process between a create and its link write (and, separately, while
// creates are in flight), restart it: every origin ends with exactly one source draft.
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTagFor } from '../../../src/domain/keys.js';
import type { MappedDraftOrder } from '../../../src/domain/model.js';
import type { DraftOrderSyncEvent } from '../../../src/contracts/sync-event.js';
import type { TopicNames } from '../../../src/shared/kafka/topics.js';
import type { RedisClient } from '../../../src/shared/redis.js';
import { startSimulator, type Simulator } from '../../../simulator/simulator.js';
import type { SimulatedShop } from '../../../simulator/shop.js';
import { deleteKeys, freshTopics, testKafka, testRedis, testRegistry, uniqueId } from '../../../test/support/infra.js';
import { waitFor } from '../../../test/support/wait.js';
import { DESTINATION, SOURCE, spawnWriter, writerProcessEnv, type ChildWriter, type WriterProcessEnv } from '../../../test/support/child-writer.js';
import { mappedRecord, sourceDraft } from '../../../test/support/mapped-fixtures.js';
import { collectEvents, MappedFeeder, type TopicCollector } from '../../../test/support/writer-topics.js';


describe('writer crash (SIGKILL, restart)', () => {
  let sim: Simulator;
  let shop: SimulatedShop;
  let kafka: Kafka;
  let topics: TopicNames;
  let redis: RedisClient;
  let feeder: MappedFeeder;
  let events: TopicCollector<DraftOrderSyncEvent>;
  let processEnv: WriterProcessEnv | undefined;
  let env: Record<string, string>;
  let variant: string;
  const redisPrefix = `${uniqueId('writer-crash')}:`;
  const children: ChildWriter[] = [];
  let nextId = 9000;

  beforeAll(async () => {
    sim = await startSimulator({ stores: [{ shop: SOURCE, currency: 'EUR' }] });
    shop = sim.store(SOURCE);
    shop.seedProducts([{ title: 'Red T-Shirt', variants: [{ sku: 'RED-TS', price: '19.99' }] }]);
    variant = shop.variantBySku('RED-TS').gid;
    kafka = testKafka('writer-crash');
    topics = await freshTopics(kafka, 'writer-crash', 3);
    redis = testRedis();
    const registry = testRegistry();
    feeder = await MappedFeeder.start(kafka, registry, topics);
    events = await collectEvents(kafka, registry, topics);

    processEnv = writerProcessEnv('writer-crash', sim, topics, redisPrefix);
    env = processEnv.env;
  });

  afterAll(async () => {
    for (const child of children) await child.stop('SIGKILL');
    await events?.stop();
    await feeder?.stop();
    await sim?.close();
    processEnv?.cleanup();
    if (redis) {
      await deleteKeys(redis, redisPrefix);
      redis.disconnect();
    }
  });

  function spawn(extra: Record<string, string> = {}): ChildWriter {
    const child = spawnWriter({ ...env, ...extra });
    children.push(child);
    return child;
  }

  function create(id: string): MappedDraftOrder {
    return mappedRecord({
      origin: { shop: DESTINATION, kind: 'draft', id, name: `#D${id}` },
      connectionId: 'eu',
      sourceShop: SOURCE,
      rawId: uniqueId('raw'),
      draft: sourceDraft({
        customer: null,
        email: null,
        lines: [{ kind: 'variant', sourceVariantId: variant, quantity: 1, priceOverride: null, customAttributes: [], appliedDiscount: null }],
      }),
    });
  }

  const keyOf = (id: string): string => `${DESTINATION}/draft/${id}`;
  const draftsOf = (id: string) => shop.store.drafts().filter((d) => d.tags.includes(syncTagFor(keyOf(id))));
  const created = (id: string): boolean => events.items.some((e) => e.key === keyOf(id) && e.outcome === 'CREATED');

  /** Keys whose link holds a create intent but no source draft: a create of unknown outcome. */
  async function pendingIntents(ids: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const id of ids) {
      const link = await redis.hgetall(`${redisPrefix}link:${keyOf(id)}`);
      if (link['intent'] && !link['sid']) out.push(id);
    }
    return out;
  }

  async function restartAndConverge(ids: readonly string[]): Promise<void> {
    // At info level the process says when it is started (its SIGTERM handler installed).
    const child = spawn({ LOG_LEVEL: 'info' });
    try {
      await waitFor('every origin CREATED after the restart', () => ids.every(created), { timeoutMs: 45_000 });
    } catch (error) {
      const seen = ids.map((id) => `${id}: drafts=${draftsOf(id).length} events=${events.items.filter((e) => e.key === keyOf(id)).map((e) => `${e.outcome}/${e.reason ?? ''}`).join(',')}`);
      throw new Error(`${String(error)}\n${seen.join('\n')}\n${child.output().slice(-3000)}`);
    }
    for (const id of ids) expect({ id, drafts: draftsOf(id).length }).toEqual({ id, drafts: 1 });
    // The victim may have finished every origin itself: make sure this process is past start-up
    // (its SIGTERM handler installed) before asking it to stop gracefully.
    await waitFor('the restarted writer running', () => child.output().includes('writer started'), { timeoutMs: 45_000 });
    const stopped = await child.stop('SIGTERM');
    expect(stopped, child.output().slice(-3000)).toEqual({ code: 0, signal: null });
  }

  it('killed right after a create returned, before its link was written → one draft per origin after restart', async () => {
    const ids = Array.from({ length: 12 }, () => String(nextId++));
    await feeder.send(...ids.map(create));
    const crashing = spawn({ WRITER_CRASH_AFTER_CREATES: '3' });
    const exit = await Promise.race([
      crashing.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`writer did not crash\n${crashing.output().slice(-3000)}`)), 40_000)),
    ]);
    expect(exit.signal).toBe('SIGKILL');
    // The crash landed where it should: a draft exists whose link only holds the intent.
    const unknown = await pendingIntents(ids);
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.some((id) => draftsOf(id).length === 1)).toBe(true);

    await restartAndConverge(ids);
    expect(await pendingIntents(ids)).toEqual([]);
  });

  it('killed while creates are in flight (slow store) → one draft per origin after restart', async () => {
    const ids = Array.from({ length: 12 }, () => String(nextId++));
    shop.setFaults({ latencyMs: 400 });
    const mutationsBefore = shop.stats.mutations;
    try {
      await feeder.send(...ids.map(create));
      const victim = spawn();
      await waitFor('creates in flight', () => shop.stats.mutations - mutationsBefore >= 2, { timeoutMs: 40_000 });
      expect((await victim.stop('SIGKILL')).signal).toBe('SIGKILL');
    } finally {
      shop.setFaults({ latencyMs: 0 });
    }
    await restartAndConverge(ids);
  });
});
