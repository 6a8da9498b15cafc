// explain against the whole pipeline (simulated stores → ingest → mapper → writer on real
// Kafka, registry and Redis, three partitions per topic): one story per kind of verdict, each
// read from the key's partition only, and each fix command followed to the verdict it promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION, DESTINATION, Pipeline, SOURCE } from '../../test/support/pipeline.js';
import { waitFor } from '../../test/support/wait.js';
import { readDeadLetters, redrive } from './dlq.js';
import { explainRecord, ExplainInputError, type RecordStory } from './explain.js';
import { partitionForKey } from './explain-topics.js';
import { runReplay } from './replay/replay.js';

describe('explain', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await Pipeline.start('ops-explain');
    await p.mapAll();
  });

  afterAll(async () => {
    await p?.close();
  });

  const explain = (ref: string | number, sinceMs?: number): Promise<RecordStory> =>
    explainRecord(p.infra, p.config, { shop: DESTINATION, ref: String(ref), ...(sinceMs !== undefined ? { sinceMs } : {}) });
  const synced = (id: number): Promise<boolean> => waitFor(`a copy of ${id}`, () => p.copiesOf(id).length === 1, { timeoutMs: 30_000 });
  const eventsAtLeast = (n: number): Promise<boolean> => waitFor(`${n} sync events`, async () => (await p.eventCount()) >= n, { timeoutMs: 30_000 });
  const fromOf = (story: RecordStory): number => {
    const from = /--from (\S+)`/.exec(story.verdict.fix ?? '')?.[1];
    if (!from) throw new Error(`no --from in ${story.verdict.line}`);
    return Date.parse(from);
  };

  it('synced: found by #D name and by id, from the key’s partition of each topic; the source copy as it is now', async () => {
    const draft = p.createDraft({ 'RED-TS-M': 1, 'BLUE-HD-L': 2 });
    await synced(draft.id);
    await waitFor('the link', async () => (await p.link(draft.id)).appliedVersion !== null);
    const copy = p.copiesOf(draft.id)[0]!;

    const story = await explain(`#D${draft.number}`);
    const key = `${DESTINATION}/draft/${draft.id}`;
    expect(story).toMatchObject({ key, kind: 'draft', id: String(draft.id), name: `#D${draft.number}`, connectionId: CONNECTION, sourceShop: SOURCE });
    expect(story.partitions.raw).toBe(partitionForKey(key, 3));
    expect(story.raw).toHaveLength(1);
    expect(story.raw[0]).toMatchObject({ source: 'webhook', topic: 'draft_orders/create', repeat: 'new', name: `#D${draft.number}`, partition: story.partitions.raw });
    expect(story.mapped).toMatchObject([{ action: 'UPSERT', direct: true, of: story.raw[0]!.offset }]);
    expect(story.events.map((e) => e.outcome)).toEqual(['CREATED']);
    // The body's updated_at and the mapper's version are one instant, written differently.
    expect(story.link).toMatchObject({ sourceDraftName: `#D${copy.number}`, status: 'OPEN' });
    expect(Date.parse(story.link!.appliedVersion!)).toBe(Date.parse(story.raw[0]!.version!));
    expect(story.sourceCopy).toMatchObject({ state: 'found', lookedUpBy: 'id', name: `#D${copy.number}`, status: 'OPEN' });
    expect(story.verdict).toMatchObject({ kind: 'synced', ok: true, line: `synced: #D${copy.number} holds version ${story.link!.appliedVersion}` });

    const byId = await explain(draft.id);
    expect(byId.verdict.kind).toBe('synced');
    expect(byId.destination).toBeNull();

    // --since after the record: nothing on the topics in view, the link still tells.
    const later = await explain(draft.id, Date.now() + 60_000);
    expect(later.raw).toEqual([]);
    expect(later.verdict.kind).toBe('synced');
  });

  it('skipped unmapped: names the variant; once mapped says so; the replay it proposes syncs it', async () => {
    const variant = String(p.destination.variantBySku('RED-TS-L').id);
    await p.mappings.delete(CONNECTION, variant);
    const events = await p.eventCount();
    const draft = p.createDraft({ 'RED-TS-L': 2, 'BLUE-HD-M': 1 });
    await eventsAtLeast(events + 1);

    const skipped = await explain(draft.id);
    expect(skipped.mapped).toMatchObject([{ action: 'SKIP', skipReason: 'UNMAPPED', missingVariants: [{ id: variant, mappedNow: null }] }]);
    expect(skipped.events).toMatchObject([{ outcome: 'SKIPPED', reason: 'UNMAPPED' }]);
    expect(skipped.sourceCopy).toMatchObject({ state: 'missing', lookedUpBy: 'tag' });
    expect(skipped.verdict).toMatchObject({ kind: 'unmapped', ok: false });
    expect(skipped.verdict.line).toMatch(new RegExp(`^1 variant\\(s\\) unmapped \\(${variant}\\) — map them .*then \`draft-sync replay --force --shop ${DESTINATION} --from \\S+\`$`));

    await p.mapSku('RED-TS-L');
    const mapped = await explain(draft.id);
    expect(mapped.mapped[0]!.missingVariants).toEqual([{ id: variant, mappedNow: String(p.source.variantBySku('RED-TS-L').id) }]);
    expect(mapped.verdict.kind).toBe('mapped-since');

    const summary = await runReplay(p.infra, p.config, { fromMs: fromOf(mapped), shop: DESTINATION, force: true, waitMs: 30_000 });
    expect(summary.outcomes?.applied.CREATED).toBe(1);
    const fixed = await explain(draft.id);
    expect(fixed.mapped.map((m) => [m.recordSource, m.action, m.direct])).toEqual([
      ['webhook', 'SKIP', true],
      ['replay', 'UPSERT', false],
    ]);
    expect(fixed.verdict.kind).toBe('synced');
    expect(p.copiesOf(draft.id)).toHaveLength(1);
  });

  it('stale duplicate: a webhook delivered twice is applied once, the repeat skipped as STALE', async () => {
    const events = await p.eventCount();
    p.destination.webhookFaults.duplicateNext(1);
    const draft = p.createDraft({ 'BLUE-HD-M': 3 });
    await synced(draft.id);
    await eventsAtLeast(events + 2);

    const story = await explain(draft.id);
    expect(story.raw.map((r) => r.repeat)).toEqual(['new', 'duplicate']);
    expect(story.events.map((e) => e.outcome).sort()).toEqual(['CREATED', 'SKIPPED']);
    expect(story.verdict).toMatchObject({ kind: 'stale-duplicate', ok: true });
    expect(story.verdict.line).toMatch(/^stale duplicate: version \S+ arrived 2 times \(webhook, webhook\)/);
    expect(p.copiesOf(draft.id)).toHaveLength(1);
  });

  it('dead-lettered: the writer’s letter and its redrive command; redriven, it is synced', async () => {
    await p.stopServices();
    await p.startServices(p.config, p.misconfigured());
    let draftId = 0;
    try {
      const draft = p.createDraft({ 'RED-TS-S': 1 });
      draftId = draft.id;
      const key = `${DESTINATION}/draft/${draft.id}`;
      await waitFor('a writer letter', async () => (await readDeadLetters(p.infra)).some((e) => e.letter.key === key && e.letter.stage === 'writer'), { timeoutMs: 30_000 });
      const story = await explain(`#D${draft.number}`);
      const letter = story.deadLetters[0]!;
      expect(story.deadLetters).toHaveLength(1);
      expect(letter).toMatchObject({ stage: 'writer', redriven: null });
      expect(Date.parse(letter.version!)).toBe(Date.parse(story.raw[0]!.version!));
      expect(story.verdict).toMatchObject({ kind: 'dead-lettered', ok: false });
      expect(story.verdict.line).toMatch(/^dead-lettered by the writer: .*not configured.* — fix the cause, then `draft-sync dlq redrive --id writer:\S+`$/);
      expect(story.verdict.line).toContain(letter.id);
    } finally {
      await p.stopServices();
      await p.startServices();
    }
    const pending = (await readDeadLetters(p.infra)).filter((e) => e.redriven === null && e.letter.key === `${DESTINATION}/draft/${draftId}`);
    await redrive(p.infra, pending);
    await synced(draftId);
    await waitFor('the link', async () => (await p.link(draftId)).appliedVersion !== null);
    const after = await explain(draftId);
    expect(after.deadLetters[0]!.redriven).not.toBeNull();
    expect(after.mapped.map((m) => m.recordSource)).toEqual(['webhook', 'redrive']);
    expect(after.verdict.kind).toBe('synced');
  });

  it('deleted: the tombstone and the copy gone from the source store', async () => {
    const draft = p.createDraft({ 'RED-TS-M': 2 });
    await synced(draft.id);
    p.destination.deleteDraft(draft.id);
    await waitFor('the tombstone', async () => (await p.link(draft.id)).status === 'DELETED', { timeoutMs: 30_000 });

    const story = await explain(draft.id);
    expect(story.raw.map((r) => r.topic)).toEqual(['draft_orders/create', 'draft_orders/delete']);
    expect(story.events.map((e) => e.outcome)).toEqual(['CREATED', 'DELETED']);
    expect(story.sourceCopy).toMatchObject({ state: 'missing', lookedUpBy: 'id' });
    expect(story.verdict).toMatchObject({ kind: 'deleted', ok: true });
    expect(story.verdict.line).toMatch(/^deleted in eu-brand: the copy #D\d+ was deleted/);
    // A deleted draft has no name left to find.
    await expect(explain(`#D${draft.number}`)).rejects.toThrow(/has no draft order named .*pass its id/);
  });

  it('never received: a dropped webhook, the destination still has the draft; an unknown id is not found', async () => {
    p.destination.webhookFaults.dropNext(1);
    const draft = p.createDraft({ 'BLUE-HD-L': 1 });
    await p.sim.webhooks.idle();

    const story = await explain(`#D${draft.number}`);
    expect(story).toMatchObject({ raw: [], mapped: [], events: [], deadLetters: [], link: null, sourceCopy: { state: 'missing' } });
    expect(story.destination).toMatchObject({ state: 'found', id: String(draft.id), name: `#D${draft.number}` });
    expect(story.verdict).toMatchObject({
      kind: 'never-received',
      line: `never received: no webhook, backfill or reconcile record for it — run \`draft-sync reconcile --shop ${DESTINATION}\` (and check \`draft-sync stores check --shop ${DESTINATION}\`)`,
    });

    const unknown = await explain(987654321);
    expect(unknown.destination).toEqual({ state: 'missing' });
    expect(unknown.verdict.kind).toBe('not-found');
  });

  it('bad input fails before anything is read, naming what is accepted', async () => {
    await expect(explainRecord(p.infra, p.config, { shop: 'nobody', ref: '1' })).rejects.toThrow(ExplainInputError);
    await expect(explainRecord(p.infra, p.config, { shop: 'eu-brand', ref: 'last-tuesday' })).rejects.toThrow(/expected a draft id/);
  });
});
