// Two writers in one group; the one holding the partitions is SIGSTOPped with creates waiting in
// its pacer (a throttled store) and in flight (a slow one), past its session timeout. The other
// takes the partitions and applies newer versions; then the first is SIGCONTed. Fencing must keep
// the woken writer from sending anything: one copy per origin, each at the newest version.
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTagFor } from '../../../src/domain/keys.js';
import type { MappedDraftOrder } from '../../../src/domain/model.js';
import type { TopicNames } from '../../../src/shared/kafka/topics.js';
import type { RedisClient } from '../../../src/shared/redis.js';
import { startSimulator, type Simulator } from '../../../simulator/simulator.js';
import type { SimulatedShop } from '../../../simulator/shop.js';
import { deleteKeys, freshTopics, testKafka, testRedis, testRegistry, uniqueId } from '../../../test/support/infra.js';
import { waitFor } from '../../../test/support/wait.js';
import { DESTINATION, SOURCE, spawnWriter, writerProcessEnv, type ChildWriter, type WriterProcessEnv } from '../../../test/support/child-writer.js';
import { mappedRecord, sourceDraft } from '../../../test/support/mapped-fixtures.js';
import { MappedFeeder } from '../../../test/support/writer-topics.js';

const DRAFTS = 24;

describe('a zombie writer (SIGSTOP past its session timeout, then SIGCONT)', () => {
  let sim: Simulator;
  let shop: SimulatedShop;
  let kafka: Kafka;
  let topics: TopicNames;
  let redis: RedisClient;
  let feeder: MappedFeeder;
  let processEnv: WriterProcessEnv | undefined;
  let env: Record<string, string>;
  let variant: string;
  const redisPrefix = `${uniqueId('writer-zombie')}:`;
  const children: ChildWriter[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ stores: [{ shop: SOURCE, currency: 'EUR' }] });
    shop = sim.store(SOURCE);
    shop.seedProducts([{ title: 'Red T-Shirt', variants: [{ sku: 'RED-TS', price: '19.99' }] }]);
    variant = shop.variantBySku('RED-TS').gid;
    kafka = testKafka('writer-zombie');
    topics = await freshTopics(kafka, 'writer-zombie', 3);
    redis = testRedis();
    feeder = await MappedFeeder.start(kafka, testRegistry(), topics);
    processEnv = writerProcessEnv('writer-zombie', sim, topics, redisPrefix);
    env = { ...processEnv.env, LOG_LEVEL: 'info' };
  });

  afterAll(async () => {
    for (const child of children) {
      child.child.kill('SIGCONT');
      await child.stop('SIGKILL');
    }
    await feeder?.stop();
    await sim?.close();
    processEnv?.cleanup();
    if (redis) {
      await deleteKeys(redis, redisPrefix);
      redis.disconnect();
    }
  });

  function spawn(): ChildWriter {
    const child = spawnWriter(env);
    children.push(child);
    return child;
  }

  const ids = Array.from({ length: DRAFTS }, (_, i) => String(7000 + i));
  const keyOf = (id: string): string => `${DESTINATION}/draft/${id}`;
  const versionOf = (n: number): string => new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString();

  function version(id: string, n: number): MappedDraftOrder {
    return mappedRecord({
      origin: { shop: DESTINATION, kind: 'draft', id, name: `#D${id}` },
      connectionId: 'eu',
      sourceShop: SOURCE,
      version: versionOf(n),
      rawId: uniqueId(`raw-v${n}`),
      draft: sourceDraft({
        customer: null,
        email: null,
        note: `v${n}`,
        lines: [{ kind: 'variant', sourceVariantId: variant, quantity: n, priceOverride: null, customAttributes: [], appliedDiscount: null }],
      }),
    });
  }

  const copiesOf = (id: string) => shop.store.drafts().filter((d) => d.tags.includes(syncTagFor(keyOf(id))));
  const linkVersion = async (id: string): Promise<string | null> => (await redis.hget(`${redisPrefix}link:${keyOf(id)}`, 'ver')) ?? null;

  async function metric(child: ChildWriter, name: string): Promise<number> {
    const url = /"opsUrl":"([^"]+)"/.exec(child.output())?.[1];
    if (!url) return Number.NaN;
    const text = await (await fetch(`${url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  }

  async function allAt(n: number): Promise<boolean> {
    for (const id of ids) if ((await linkVersion(id)) !== versionOf(n)) return false;
    return true;
  }

  function expectOneCopyEach(n: number): void {
    const wrong = ids
      .map((id) => ({ id, copies: copiesOf(id).map((d) => `${d.note ?? ''}×${d.lines.map((l) => l.quantity).join('+')}`) }))
      .filter(({ copies }) => copies.length !== 1 || copies[0] !== `v${n}×${n}`);
    expect(wrong).toEqual([]);
  }

  it('is fenced: nothing it queued or retried reaches the store, every copy ends at the newest version, once', async () => {
    // A tight bucket: the first writer's creates queue up in its pacer, each with its intent written.
    shop.setThrottle({ maximumAvailable: 40, restoreRate: 8, currentlyAvailable: 40 });
    shop.setFaults({ latencyMs: 300 });
    await feeder.send(...ids.map((id) => version(id, 1)));
    const zombie = spawn();
    await waitFor('the first writer applying (some creates sent)', () => shop.stats.mutations >= 2, { timeoutMs: 40_000 });
    zombie.child.kill('SIGSTOP');

    await feeder.send(...ids.map((id) => version(id, 2)));
    await feeder.send(...ids.map((id) => version(id, 3)));
    shop.setThrottle({ maximumAvailable: 2000, restoreRate: 1000, currentlyAvailable: 2000 });
    shop.setFaults({ latencyMs: 0 });
    const successor = spawn();
    await waitFor('the second writer applied v3 of every draft', () => allAt(3), { timeoutMs: 90_000, intervalMs: 250 });
    expectOneCopyEach(3);

    // Wake the zombie with its pacer full of v1 creates whose turn has long come.
    const mutationsBeforeWake = shop.stats.mutations;
    const wokeAt = zombie.output().length;
    zombie.child.kill('SIGCONT');
    await waitFor('the woken writer fenced and back in the group', () => {
      const since = zombie.output().slice(wokeAt);
      return since.includes('write fenced') && since.includes('writer partitions assigned');
    }, { timeoutMs: 60_000 });
    expect(await metric(zombie, 'writer_fenced_writes_total')).toBeGreaterThan(0);
    await waitFor('the woken writer idle', async () => (await metric(zombie, 'writer_queue_depth')) === 0, { timeoutMs: 30_000 });
    // Nothing reached the store after the wake-up (the second writer had nothing left to do),
    // except, when the stop fell between a create's generation check and its send, that one
    // create and its undo (the duplicate deleted again). Without fencing: 8 stale mutations.
    expect([0, 2]).toContain(shop.stats.mutations - mutationsBeforeWake);
    expectOneCopyEach(3);

    // Both writers work on: a fourth version lands everywhere, still one copy each.
    await feeder.send(...ids.map((id) => version(id, 4)));
    await waitFor('v4 applied everywhere', () => allAt(4), { timeoutMs: 60_000, intervalMs: 250 });
    expectOneCopyEach(4);
    expect(successor.child.exitCode).toBeNull();
  });
});
