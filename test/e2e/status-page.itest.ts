// The status page in a real browser during the demo scenario: headless Chromium (test/support/browser.ts)
// driven by playwright-core loads the page while the seed example syncs and sees the synced
// draft's CREATED event, its count, and a dead letter whose HTML-looking reason stays text.
// Then the token rules, against a second instance on the same stack.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_ID, startDemo, type RunningDemo } from '../../demo/demo.js';
import { Infra } from '../../src/shared/infra.js';
import { DESTINATION_SHOP, SOURCE_SHOP } from '../../simulator/demo-catalog.js';
import { createLogger } from '../../src/shared/log.js';
import { launchBrowser } from '../support/browser.js';
import { waitFor } from '../support/wait.js';
import { startStatus } from '../../services/status/src/status.js';
import type { StatusView } from '../../services/status/src/view.js';

const SCREENSHOT = 'test-artifacts/status-page.png';
const HOSTILE_REASON = 'userErrors: title "<img src=x onerror=window.__pwned=1>" is invalid';

describe('status page', () => {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  const logger = createLogger('status-itest', 'warn');

  beforeAll(async () => {
    demo = await startDemo({ log: () => undefined });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('shows the seed draft synced by the demo, live, with its count and escaped dead-letter reasons', async () => {
    const d = demo!;
    browser = await launchBrowser();
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    // Loaded before the draft exists: the event must arrive by the page's own updates.
    await page.goto(`${d.statusUrl}/`);
    await waitFor('the page to render the connection', async () => (await page.locator(`[data-connection="${CONNECTION_ID}"]`).count()) > 0);

    const synced = await d.runSeedExample();

    const card = page.locator(`[data-connection="${CONNECTION_ID}"]`);
    const created = card.locator('tr.event[data-outcome="CREATED"]', { hasText: synced.name });
    await waitFor('the CREATED event of the synced draft on the page', async () => (await created.count()) === 1, { timeoutMs: 30_000 });
    expect(await created.locator('.source-draft').textContent()).toBe(synced.name);
    expect(await created.getAttribute('data-key')).toMatch(new RegExp(`^${DESTINATION_SHOP.replace(/\./g, '\\.')}/draft/\\d+$`));
    await waitFor('the CREATED count', async () => (await card.locator('.counts [data-outcome="CREATED"] b').textContent()) === '1');
    expect(await card.locator('.last-sync').textContent()).not.toBe('—');
    // Store health: both stores checked against their Admin API; eu-brand's webhook seen, mainbrand
    // (which sent none since the subscriptions were made) shown as silent.
    const storeRow = (shop: string) => page.locator(`#stores tr[data-store="${shop}"]`);
    await waitFor('the destination store checked, with its last webhook', async () =>
      (await storeRow(DESTINATION_SHOP).locator('.token').textContent()) === 'ok' && (await storeRow(DESTINATION_SHOP).locator('.last-webhook').textContent()) !== 'never');
    expect(await storeRow(DESTINATION_SHOP).locator('.scopes').textContent()).toBe('ok');
    expect(await storeRow(DESTINATION_SHOP).locator('.subscriptions').textContent()).toBe('ok');
    expect(await storeRow(SOURCE_SHOP).locator('.last-webhook').textContent()).toBe('never');

    // The lookup box: draft-sync explain for the synced draft, from the page.
    await page.locator('#lookup-shop').fill(DESTINATION_SHOP);
    const originId = (await created.getAttribute('data-key'))!.split('/').pop()!;
    await page.locator('#lookup-ref').fill(originId);
    await page.locator('#lookup-go').click();
    await waitFor('the lookup verdict', async () => ((await page.locator('#lookup-result .verdict').textContent()) ?? '').startsWith('synced'), { timeoutMs: 30_000 });
    expect(await page.locator('#lookup-result pre').textContent()).toContain(synced.name);
    const bad = await fetch(`${d.statusUrl}/api/explain?shop=${DESTINATION_SHOP}&ref=not-a-draft`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not-a-draft/);
    // The demo catalogs leave one eu-brand variant without a SKU match on purpose.
    const report = (await (await fetch(`${d.statusUrl}/api/status`)).json()) as StatusView;
    const mapping = report.connections.find((c) => c.connectionId === CONNECTION_ID)!.mapping;
    expect(mapping.mapped).toBeGreaterThan(0);
    expect(await card.locator('.coverage').textContent()).toContain(`${Math.round(mapping.coverage! * 100)}% · ${mapping.mapped} mapped, ${mapping.unmatched} unmatched`);
    await waitFor('writer lag read', async () => (await page.locator('#lag [data-group="writer"] .lag-total').count()) === 1);

    // A dead letter whose reason looks like markup: shown as text, never run.
    const infra = new Infra({ settings: d.infra, names: d.names, clientId: 'status-page-test', logger });
    try {
      const codecs = await infra.codecs();
      const producer = await infra.producer();
      const value = codecs.dlq.encode({
        id: 'writer:status-itest/0/1',
        stage: 'writer',
        reason: HOSTILE_REASON,
        key: `${DESTINATION_SHOP}/draft/424242`,
        originTopic: infra.topics.mapped,
        originPartition: 0,
        originOffset: '1',
        payload: Buffer.alloc(0),
        failedAt: Date.now(),
        attempts: 1,
      });
      await producer.send({ topic: infra.topics.dlq, acks: -1, messages: [{ key: `${DESTINATION_SHOP}/draft/424242`, value }] });
    } finally {
      await infra.close();
    }
    const letter = card.locator('tr[data-letter="writer:status-itest/0/1"]');
    await waitFor('the dead letter on the page', async () => (await letter.count()) === 1, { timeoutMs: 30_000 });
    expect(await letter.locator('.reason').textContent()).toBe(HOSTILE_REASON);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(pageErrors).toEqual([]);

    const api = (await (await fetch(`${d.statusUrl}/api/status`)).json()) as StatusView;
    const conn = api.connections.find((c) => c.connectionId === CONNECTION_ID)!;
    expect(conn.events.outcomes.CREATED).toBe(1);
    expect(conn.deadLetters.pending).toBe(1);
    expect(conn.mapping.coverage).toBeGreaterThan(0);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('refuses a non-localhost bind without a token', async () => {
    const d = demo!;
    await expect(
      startStatus({ config: d.config, infra: d.infra, names: d.names, logger, metricsRegistry: new Registry(), host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/needs a token/);
  });

  it('with a token, answers 401 to every request without it', async () => {
    const d = demo!;
    const token = 'status-itest-token';
    const status = await startStatus({ config: d.config, infra: d.infra, names: d.names, logger, metricsRegistry: new Registry(), host: '127.0.0.1', port: 0, token });
    try {
      for (const p of ['/', '/api/status', '/healthz', '/metrics']) {
        expect((await fetch(`${status.url}${p}`)).status, p).toBe(401);
        expect((await fetch(`${status.url}${p}`, { headers: { authorization: 'Bearer wrong' } })).status, p).toBe(401);
      }
      expect((await fetch(`${status.url}/api/status`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const page = await fetch(`${status.url}/?token=${token}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      // Read-only: nothing but GET is routed.
      expect((await fetch(`${status.url}/api/status`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    } finally {
      await status.stop();
    }
  });
});
