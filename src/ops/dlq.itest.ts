// dlq, status and events tail against the whole pipeline: a mapper failure and a writer
// failure (misconfigured services), fixed, redriven, synced; status and the event feed agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftOrderSyncEvent } from '../contracts/sync-event.js';
import { waitFor } from '../../test/support/wait.js';
import { readDeadLetters, redrive } from './dlq.js';
import { tailEvents } from './events-tail.js';
import { pipelineStatus } from './status.js';
import { CONNECTION, DESTINATION, Pipeline } from '../../test/support/pipeline.js';

describe('dlq, status, events tail', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await Pipeline.start('ops-dlq', { services: false });
    await p.mapAll();
  });

  afterAll(async () => {
    await p?.close();
  });

  const pending = async (): Promise<Awaited<ReturnType<typeof readDeadLetters>>> => (await readDeadLetters(p.infra)).filter((e) => e.redriven === null);

  it('redrives mapper and writer failures once the cause is fixed; nothing stays pending', async () => {
    // The mapper does not know the destination: its record is dead-lettered.
    await p.startServices(p.misconfigured());
    const first = p.createDraft({ 'RED-TS-M': 1 });
    await waitFor('a mapper letter', async () => (await pending()).some((e) => e.letter.stage === 'mapper'), { timeoutMs: 30_000 });
    await p.stopServices();

    // The mapper is fixed, the writer does not know the source store: a writer letter.
    await p.startServices(p.config, p.misconfigured());
    const second = p.createDraft({ 'BLUE-HD-L': 2 });
    await waitFor('a writer letter', async () => (await pending()).some((e) => e.letter.stage === 'writer'), { timeoutMs: 30_000 });
    await p.stopServices();

    const letters = await pending();
    expect(letters.map((e) => [e.letter.stage, e.letter.key])).toEqual([
      ['mapper', `${DESTINATION}/draft/${first.id}`],
      ['writer', `${DESTINATION}/draft/${second.id}`],
    ]);
    expect(letters[0]!.letter.reason).toContain(`no connection has ${DESTINATION} as its destination`);
    expect(letters[1]!.letter.reason).toContain('not configured');
    expect(p.copiesOf(first.id)).toHaveLength(0);
    expect(p.copiesOf(second.id)).toHaveLength(0);

    // Both fixed: redrive everything pending.
    await p.startServices(p.config);
    const results = await redrive(p.infra, letters);
    expect(results.map((r) => r.to)).toEqual([p.topics.raw, p.topics.mapped]);
    await waitFor('both synced', () => p.copiesOf(first.id).length === 1 && p.copiesOf(second.id).length === 1, { timeoutMs: 30_000 });
    expect(p.copiesOf(second.id)[0]!.lines.map((l) => [l.sku, l.quantity])).toEqual([['BLUE-HD-L', 2]]);
    expect(await pending()).toEqual([]);
    expect((await readDeadLetters(p.infra)).every((e) => e.redriven !== null)).toBe(true);
  });

  it('status: outcomes, last sync, lag, DLQ and unmapped per connection; counted once across runs', async () => {
    await p.mappings.recordUnmapped([{ connectionId: CONNECTION, variantIds: ['4242'] }]);
    const status = await pipelineStatus(p.infra, p.config);
    const eu = status.connections.find((c) => c.connectionId === CONNECTION)!;
    expect(eu.outcomes).toMatchObject({ CREATED: 2, FAILED: 1 });
    expect(Object.keys(eu.reasons).some((r) => r.startsWith('FAILED: invalid input: source shop'))).toBe(true);
    expect(eu.lastSync).not.toBeNull();
    expect(eu.dlqPending).toBe(0);
    expect(eu.unmappedVariants).toBe(1);
    expect(status.dlq).toMatchObject({ letters: 2, pending: 0 });
    expect(status.lag.mapper.committed).toBe(true);
    expect(status.lag.writer.committed).toBe(true);

    const again = await pipelineStatus(p.infra, p.config);
    expect(again.connections.find((c) => c.connectionId === CONNECTION)!.outcomes).toEqual(eu.outcomes);
  });

  it('events tail decodes the feed, filtered by shop', async () => {
    const seen: DraftOrderSyncEvent[] = [];
    const tail = await tailEvents(p.infra, { shop: DESTINATION, fromBeginning: true }, (e) => void seen.push(e));
    const other: DraftOrderSyncEvent[] = [];
    const none = await tailEvents(p.infra, { shop: 'nobody.myshopify.com', fromBeginning: true }, (e) => void other.push(e));
    try {
      await waitFor('three events', () => seen.length >= 3, { timeoutMs: 30_000 });
      expect(seen.map((e) => e.outcome).sort()).toEqual(['CREATED', 'CREATED', 'FAILED']);
      expect(seen.find((e) => e.outcome === 'CREATED' && e.recordSource === 'redrive')).toBeDefined();
      expect(seen[0]).toMatchObject({ connectionId: CONNECTION, origin: { shop: DESTINATION, kind: 'draft' } });
      expect(other).toEqual([]);
    } finally {
      await tail.stop();
      await none.stop();
    }
  });
});
