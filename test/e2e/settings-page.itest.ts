// The settings page in a real browser (headless Chromium, test/support/browser.ts) beside a
// running pipeline: switching sync off and saving makes the next draft SKIPPED SYNC_DISABLED
// without a restart; switching it on with the invoice makes the next draft sync with its
// invoice (and the page offers the backfill for the time sync was off); an invalid value is
// refused with its field and nothing changes; a write without the token or the CSRF token is
// refused. The page's screenshot lands in test-artifacts/settings-page.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatus, type RunningStatus } from '../../services/status/src/status.js';
import type { DraftOrderSyncEvent } from '../../src/contracts/sync-event.js';
import { createLogger } from '../../src/shared/log.js';
import { launchBrowser } from '../support/browser.js';
import { testKafka, testRegistry } from '../support/infra.js';
import { CONNECTION, DESTINATION, Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';
import { collectEvents, type TopicCollector } from '../support/writer-topics.js';

const SCREENSHOT = 'test-artifacts/settings-page.png';
const TOKEN = 'alice-write-token';

describe('settings page', () => {
  let p: Pipeline;
  let status: RunningStatus;
  let browser: Browser;
  let page: Page;
  let events: TopicCollector<DraftOrderSyncEvent>;
  const pageErrors: string[] = [];
  const eventsOf = (id: number): DraftOrderSyncEvent[] => events.items.filter((e) => e.key === `${DESTINATION}/draft/${id}`);
  const card = () => page.locator(`section.connection[data-connection="${CONNECTION}"]`);
  const current = (field: string) => card().locator(`.current[data-field="${field}"]`).textContent();

  beforeAll(async () => {
    p = await Pipeline.start('settings-page');
    await p.mapAll();
    events = await collectEvents(testKafka('settings-page'), testRegistry(), p.topics);
    const { infra, names } = p.settings;
    status = await startStatus({
      config: p.config,
      infra,
      names,
      logger: createLogger('settings-page', process.env.TEST_LOG_LEVEL ?? 'silent'),
      metricsRegistry: new Registry(),
      host: '127.0.0.1',
      port: 0,
      writeTokens: [{ name: 'alice', token: TOKEN }],
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${status.url}/settings?token=${TOKEN}`);
    await waitFor('the connection form', async () => (await card().locator('form').count()) === 1);
  });

  afterAll(async () => {
    await browser?.close();
    await status?.stop();
    await events?.stop();
    await p?.close();
  });

  it('switching sync off makes the next draft SKIPPED SYNC_DISABLED, without a restart', async () => {
    expect(await current('draftOrderSync')).toBe('now: yes');
    expect(await card().locator('.in-force').textContent()).toMatch(/revision 1, by config/);
    await card().locator('input[name="draftOrderSync"][value="no"]').check();
    await card().locator('button.save').click();
    await waitFor('the save confirmed', async () => ((await card().locator('.saved').textContent()) ?? '').startsWith('Saved revision 2'));
    expect(await card().locator('.saved').textContent()).toContain('draftOrderSync yes → no');
    expect(await card().locator('.saved').textContent()).toMatch(/In force on 1 mapper and 1 writer\./);
    expect(await current('draftOrderSync')).toBe('now: no');
    // The file now says otherwise: shown, not applied.
    expect(await card().locator('.drift').allTextContents()).toEqual([expect.stringMatching(/^connection eu: draftOrderSync is yes in the configuration file but no in the live settings \(revision 2, by alice at .*\); the live value applies$/)]);

    const draft = p.createDraft({ 'RED-TS-M': 1, 'BLUE-HD-L': 2 });
    await waitFor('the SYNC_DISABLED skip', () => eventsOf(draft.id).find((e) => e.outcome === 'SKIPPED' && e.reason === 'SYNC_DISABLED'), { timeoutMs: 30_000 });
    expect(p.copiesOf(draft.id)).toEqual([]);
  });

  it('switching sync on with the invoice syncs the next draft and sends its invoice; the backfill is offered', async () => {
    await card().locator('input[name="draftOrderSync"][value="yes"]').check();
    await card().locator('input[name="sendInvoice"][value="yes"]').check();
    await card().locator('button.save').click();
    await waitFor('the save confirmed', async () => ((await card().locator('.saved').textContent()) ?? '').startsWith('Saved revision 3'));
    const offer = (await card().locator('.follow-up pre[data-kind="backfill"]').textContent()) ?? '';
    expect(offer).toMatch(new RegExp(`^npm run draft-sync -- backfill --shop ${DESTINATION.replace(/\./g, '\\.')} --since \\d{4}-\\d\\d-\\d\\dT`));
    expect(await current('sendInvoice')).toBe('now: yes');

    const draft = p.createDraft({ 'RED-TS-M': 1 });
    await waitFor('the copy created and its invoice sent', () => eventsOf(draft.id).some((e) => e.outcome === 'INVOICE_SENT'), { timeoutMs: 30_000 });
    expect(eventsOf(draft.id).map((e) => e.outcome)).toContain('CREATED');
    expect(p.copiesOf(draft.id)).toHaveLength(1);
  });

  it('refuses an invalid value with its field named, and changes nothing', async () => {
    await card().locator('input[name="sendInvoice"][value="no"]').check();
    await card().locator('input[name="originTag"]').fill('Copied from somewhere');
    await card().locator('button.save').click();
    const error = card().locator('.field-error[data-field="originTag"]');
    await waitFor('the field named', async () => ((await error.textContent()) ?? '') !== '');
    expect(await error.textContent()).toBe('expected false or a format containing {shop}');
    expect(await card().locator('#save-error').textContent()).toMatch(/^refused, nothing was changed: originTag: /);
    // Not half-applied: the valid sendInvoice change in the same form was not saved either.
    await page.locator('#reload').click();
    await waitFor('the reloaded form', async () => (await current('sendInvoice')) === 'now: yes' && (await card().locator('.in-force').textContent())?.includes('revision 3'));
    expect(await current('originTag')).toBe('now: From {shop}');
  });

  it('refuses a write without the token, or without the CSRF token; the history names who changed what', async () => {
    await page.locator('#token').fill('');
    await card().locator('input[name="orderTrigger"][value="yes"]').check();
    await card().locator('button.save').click();
    await waitFor('the refusal', async () => ((await card().locator('#save-error').textContent()) ?? '').includes('needs a write token'));

    const url = `${status.url}/api/settings/${CONNECTION}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await fetch(url, { method: 'POST', headers: form, body: 'orderTrigger=yes' })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { ...form, authorization: 'Bearer wrong' }, body: 'orderTrigger=yes' })).status).toBe(401);
    // The token alone is not enough: a cross-site form would lack the cookie-bound CSRF token.
    expect((await fetch(url, { method: 'POST', headers: { ...form, authorization: `Bearer ${TOKEN}` }, body: 'orderTrigger=yes' })).status).toBe(403);
    expect((await fetch(url, { method: 'POST', headers: { ...form, authorization: `Bearer ${TOKEN}`, cookie: 'dos_csrf=AAAAAAAAAAAAAAAAAAAAAAAA' }, body: 'orderTrigger=yes&csrf=forged' })).status).toBe(403);
    const big = await fetch(url, { method: 'POST', headers: { ...form, authorization: `Bearer ${TOKEN}` }, body: `originTag=${'x'.repeat(20_000)}` });
    expect(big.status).toBe(413);
    const api = (await (await fetch(`${status.url}/api/settings`)).json()) as { connections: { revision: number; settings: { orderTrigger: boolean } }[] };
    expect(api.connections[0]).toMatchObject({ revision: 3, settings: { orderTrigger: false } });

    await page.locator('#token').fill(TOKEN);
    await page.locator('#reload').click();
    const changes = card().locator('tr.change');
    await waitFor('the history of both saves', async () => (await changes.count()) >= 12);
    const rows = (await changes.allTextContents()).slice(0, 3);
    expect(rows.every((r) => r.includes('alice'))).toBe(true);
    expect(rows.join('\n')).toMatch(/sendInvoice.*no → yes.*alice/);
    expect(rows.join('\n')).toMatch(/draftOrderSync.*no → yes.*alice/);
    expect(pageErrors).toEqual([]);
    expect(await page.locator('#app').evaluate((app) => [...app.childNodes].some((n) => n.nodeType === 3 && n.textContent === 'null'))).toBe(false);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
