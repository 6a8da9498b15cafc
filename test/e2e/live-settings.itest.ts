// Live settings through the whole pipeline: a change saved while mapper and writers run is
// followed without a restart by every instance — two writers of one group both confirm it and
// apply it — and a restart keeps the saved settings over the configuration file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWriter } from '../../services/writer/src/writer.js';
import { runningInstances } from '../../src/live-settings/index.js';
import { getSettings, setSettings } from '../../src/ops/settings.js';
import { createLogger } from '../../src/shared/log.js';
import type { DraftOrderSyncEvent } from '../../src/contracts/sync-event.js';
import { CONNECTION, DESTINATION, Pipeline } from '../support/pipeline.js';
import { testKafka, testRegistry } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { collectEvents, TopicCollector } from '../support/writer-topics.js';
import type { MappedDraftOrder } from '../../src/domain/model.js';

const logger = createLogger('live-settings-e2e', process.env.TEST_LOG_LEVEL ?? 'silent');

describe('live settings in the running pipeline', () => {
  let p: Pipeline;
  let second: RunningWriter | null = null;
  let events: TopicCollector<DraftOrderSyncEvent>;
  let mappedRecords: TopicCollector<MappedDraftOrder | null>;
  const eventsOf = (id: number): DraftOrderSyncEvent[] => events.items.filter((e) => e.key === `${DESTINATION}/draft/${id}`);
  const set = (values: Record<string, string>) =>
    setSettings(p.infra, p.config, { connectionId: CONNECTION, values, by: 'e2e', waitMs: 15_000 }, logger);

  beforeAll(async () => {
    p = await Pipeline.start('live-settings-e2e');
    await p.mapAll();
    events = await collectEvents(testKafka('live-settings-e2e'), testRegistry(), p.topics);
    const reader = p.infra.mappedReader();
    mappedRecords = await TopicCollector.start(testKafka('live-settings-e2e'), p.topics.mapped, async (value) => {
      const read = await reader.decode(value);
      return read.ok ? read.value : null;
    });
  });

  afterAll(async () => {
    await events?.stop();
    await mappedRecords?.stop();
    await second?.stop();
    await p?.close();
  });

  it('two writer instances both follow a change: both confirm it, and every draft is invoiced', async () => {
    second = await p.startWriter();
    await waitFor('mapper and both writers report what they apply', async () => (await runningInstances(p.redis, p.names.opsPrefix)).length === 3);
    const outcome = await set({ sendInvoice: 'yes' });
    if (outcome.kind !== 'saved') throw new Error(`expected saved, got ${outcome.kind}`);
    expect(outcome.behind).toEqual([]);
    expect(outcome.following.filter((i) => i.startsWith('writer-'))).toHaveLength(2);
    expect(outcome.following.filter((i) => i.startsWith('mapper-'))).toHaveLength(1);
    // Drafts on every partition (both writers own some): each is synced with its invoice.
    const drafts = Array.from({ length: 8 }, () => p.createDraft({ 'RED-TS-M': 1 }));
    for (const d of drafts) {
      await waitFor(`the invoice of draft ${d.id}`, () => eventsOf(d.id).some((e) => e.outcome === 'INVOICE_SENT'), { timeoutMs: 30_000 });
    }
  });

  it('sync switched off applies to the next draft without a restart; a restart keeps it over the file', async () => {
    await second?.stop();
    second = null;
    expect(await set({ draftOrderSync: 'no' })).toMatchObject({ kind: 'saved', behind: [] });
    const off = p.createDraft({ 'RED-TS-M': 1 });
    await waitFor('the SYNC_DISABLED skip', () => eventsOf(off.id).find((e) => e.outcome === 'SKIPPED' && e.reason === 'SYNC_DISABLED'), { timeoutMs: 30_000 });
    expect(p.copiesOf(off.id)).toEqual([]);

    await p.stopServices();
    await p.startServices();
    const afterRestart = p.createDraft({ 'RED-TS-M': 1 });
    await waitFor('the SYNC_DISABLED skip after the restart', () => eventsOf(afterRestart.id).find((e) => e.outcome === 'SKIPPED' && e.reason === 'SYNC_DISABLED'), { timeoutMs: 30_000 });
    expect(p.copiesOf(afterRestart.id)).toEqual([]);
    // The file (sync on, no invoice) disagrees: reported, not applied.
    const report = await getSettings(p.infra, p.config, CONNECTION, logger);
    expect(report.settings).toMatchObject({ draftOrderSync: false, sendInvoice: true });
    expect(report.drift).toEqual([
      expect.stringMatching(/^connection eu: draftOrderSync is yes in the configuration file but no in the live settings .*by e2e.*; the live value applies$/),
      expect.stringMatching(/^connection eu: sendInvoice is no in the configuration file but yes in the live settings/),
    ]);
  });

  it('a record mapped before sync was switched off is skipped by the writer that takes it in afterwards', async () => {
    expect(await set({ draftOrderSync: 'yes' })).toMatchObject({ kind: 'saved' });
    await p.writer!.stop();
    p.writer = null;
    const mapped = p.createDraft({ 'RED-TS-M': 1 });
    // Mapped (sync on) while no writer runs, then sync goes off before a writer reads it.
    const key = `${DESTINATION}/draft/${mapped.id}`;
    await waitFor('the draft mapped for an upsert', () => mappedRecords.items.some((r) => r?.key === key && r.action === 'UPSERT'), { timeoutMs: 30_000 });
    expect(await set({ draftOrderSync: 'no' })).toMatchObject({ kind: 'saved' });
    p.writer = await p.startWriter();
    await waitFor('the writer-side SYNC_DISABLED skip', () => eventsOf(mapped.id).find((e) => e.outcome === 'SKIPPED' && e.reason === 'SYNC_DISABLED'), { timeoutMs: 30_000 });
    expect(p.copiesOf(mapped.id)).toEqual([]);
  });

});
