// The central team edits a copy in the source store; the next destination update must not
// silently overwrite their work: per connection, flag it (default), keep it, or overwrite it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftOrderSyncEvent } from '../../src/contracts/sync-event.js';
import { keyOf } from '../../src/domain/keys.js';
import type { DraftOrder } from '../../simulator/store/model.js';
import { Pipeline, DESTINATION } from '../support/pipeline.js';
import { testKafka, testRegistry } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { collectEvents, type TopicCollector } from '../support/writer-topics.js';

const FLAG_TAG = 'dos-source-edited';
const EDITED = 'edited by the central team';

/** Shopify's updatedAt has whole seconds: a change is only "later" in a later second. */
async function nextSecond(): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await waitFor('the next second', () => Math.floor(Date.now() / 1000) > now, { intervalMs: 20 });
}

function scenario(policy: 'flag' | 'keep' | 'overwrite') {
  let p: Pipeline;
  let events: TopicCollector<DraftOrderSyncEvent>;

  beforeAll(async () => {
    p = await Pipeline.start(`source-edits-${policy}`, { connection: { onSourceEdited: policy } });
    await p.mapAll();
    events = await collectEvents(testKafka(`source-edits-${policy}`), testRegistry(), p.topics);
  });
  afterAll(async () => {
    await events?.stop();
    await p?.close();
  });

  const key = (d: DraftOrder): string => keyOf({ shop: DESTINATION, kind: 'draft', id: String(d.id), name: null });
  const copyOf = (d: DraftOrder): DraftOrder => {
    const copies = p.copiesOf(d.id);
    expect(copies).toHaveLength(1);
    return copies[0]!;
  };

  /** Updates the origin's note and waits for the writer's event about that version. */
  async function updateOrigin(origin: DraftOrder, note: string): Promise<DraftOrderSyncEvent> {
    await nextSecond();
    const updated = p.destination.updateDraft(origin.id, { note });
    const version = new Date(Math.floor(updated.updatedAt / 1000) * 1000).getTime();
    return waitFor(`the writer's event for "${note}"`, () => events.items.find((e) => e.key === key(origin) && Date.parse(e.version) === version), { timeoutMs: 30_000 });
  }

  /** A synced origin whose copy the central team then edited. */
  async function editedCopy(): Promise<DraftOrder> {
    const origin = p.createDraft({ 'RED-TS-M': 1 }, { note: 'v1' });
    await waitFor('the copy', () => p.copiesOf(origin.id).length === 1, { timeoutMs: 30_000 });
    await nextSecond();
    p.source.updateDraft(copyOf(origin).id, { note: EDITED });
    return origin;
  }

  return { p: () => p, copyOf, updateOrigin, editedCopy };
}

describe('onSourceEdited: flag (the default)', () => {
  const s = scenario('flag');

  it('does not overwrite, says SOURCE_EDITED, tags the copy; removing the tag lets sync overwrite again', async () => {
    const origin = await s.editedCopy();
    const skipped = await s.updateOrigin(origin, 'v2');
    expect(skipped.outcome).toBe('SKIPPED');
    expect(skipped.reason).toBe('SOURCE_EDITED: changed in the source store after our last write; tagged dos-source-edited, not overwritten');
    expect(s.copyOf(origin).note).toBe(EDITED);
    expect(s.copyOf(origin).tags).toContain(FLAG_TAG);
    expect((await s.p().link(origin.id)).sourceEdited).toBe('FLAGGED');

    // Still flagged: the next change is not written either.
    expect(await s.updateOrigin(origin, 'v3')).toMatchObject({ outcome: 'SKIPPED', reason: 'SOURCE_EDITED' });
    expect(s.copyOf(origin).note).toBe(EDITED);

    // The central team removes the tag: their "sync may take it back".
    const copy = s.copyOf(origin);
    s.p().source.updateDraft(copy.id, { tags: copy.tags.filter((t) => t !== FLAG_TAG) });
    expect((await s.updateOrigin(origin, 'v4')).outcome).toBe('UPDATED');
    expect(s.copyOf(origin).note).toBe('v4');
    expect((await s.p().link(origin.id)).sourceEdited).toBeNull();
  });

  it('an untouched copy is updated as always', async () => {
    const origin = s.p().createDraft({ 'RED-TS-M': 1 }, { note: 'v1' });
    await waitFor('the copy', () => s.p().copiesOf(origin.id).length === 1, { timeoutMs: 30_000 });
    expect((await s.updateOrigin(origin, 'v2')).outcome).toBe('UPDATED');
    expect(s.copyOf(origin).note).toBe('v2');
  });
});

describe('onSourceEdited: keep', () => {
  const s = scenario('keep');

  it('stops syncing the edited copy, untagged', async () => {
    const origin = await s.editedCopy();
    expect(await s.updateOrigin(origin, 'v2')).toMatchObject({ outcome: 'SKIPPED', reason: expect.stringMatching(/^SOURCE_EDITED: the copy is kept/) });
    expect(await s.updateOrigin(origin, 'v3')).toMatchObject({ outcome: 'SKIPPED', reason: expect.stringMatching(/^SOURCE_EDITED: the copy is kept/) });
    expect(s.copyOf(origin).note).toBe(EDITED);
    expect(s.copyOf(origin).tags).not.toContain(FLAG_TAG);
  });
});

describe('onSourceEdited: overwrite', () => {
  const s = scenario('overwrite');

  it('overwrites the edit, as before', async () => {
    const origin = await s.editedCopy();
    expect((await s.updateOrigin(origin, 'v2')).outcome).toBe('UPDATED');
    expect(s.copyOf(origin).note).toBe('v2');
  });
});
