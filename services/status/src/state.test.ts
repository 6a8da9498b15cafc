import { describe, expect, it } from 'vitest';
import type { DraftOrderSyncEvent } from '../../../src/contracts/sync-event.js';
import type { DeadLetter } from '../../../src/contracts/dead-letter.js';
import { StatusState } from './state.js';
import { buildView, mappingView, NOTHING_POLLED } from './view.js';
import type { AppConfig } from '../../../src/shared/config/index.js';

let n = 0;
function event(over: Partial<DraftOrderSyncEvent> = {}): DraftOrderSyncEvent {
  n++;
  return {
    eventId: `e${n}`,
    key: 'eu.myshopify.com/draft/1',
    origin: { shop: 'eu.myshopify.com', kind: 'draft', id: '1', name: '#D1' },
    connectionId: 'eu',
    sourceShop: 'main.myshopify.com',
    outcome: 'CREATED',
    reason: null,
    sourceDraftId: 'gid://shopify/DraftOrder/9',
    sourceDraftName: '#D9',
    version: '1',
    missingVariants: [],
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    recordSource: 'webhook',
    versionClock: 'UPDATED_AT',
    ...over,
  };
}

function letter(id: string, key: string | null): DeadLetter {
  return { id, stage: 'writer', reason: 'userErrors: bad <b>', key, originTopic: 't', originPartition: 0, originOffset: '1', payload: Buffer.alloc(0), failedAt: 0, attempts: 1 };
}

const state = (): StatusState => new StatusState((shop) => (shop === 'eu.myshopify.com' ? 'eu' : null), { recentEvents: 3, deadLetters: 2 });

describe('StatusState', () => {
  it('counts outcomes, keeps the newest events by time and the last applied sync', () => {
    const s = state();
    const first = event({ outcome: 'CREATED' });
    const skipped = event({ outcome: 'SKIPPED', reason: 'UNMAPPED' });
    const later = event({ outcome: 'UPDATED' });
    s.addEvent(later);
    s.addEvent(first); // an older event from another partition arrives late
    s.addEvent(skipped);
    s.addEvent(event({ outcome: 'FAILED', occurredAt: '2025-01-01T00:00:00.000Z' }));
    const e = s.events('eu');
    expect(e.outcomes).toEqual({ CREATED: 1, SKIPPED: 1, UPDATED: 1, FAILED: 1 });
    expect(e.total).toBe(4);
    expect(e.recent.map((r) => r.eventId)).toEqual([later.eventId, skipped.eventId, first.eventId]);
    expect(e.lastSync).toBe(later.occurredAt);
  });

  it('does not count a re-published event twice while it is recent', () => {
    const s = state();
    const e = event();
    s.addEvent(e);
    s.addEvent(e);
    expect(s.events('eu').outcomes).toEqual({ CREATED: 1 });
  });

  it('assigns dead letters to connections by key, deduplicates ids, keeps the newest, counts pending', () => {
    const s = state();
    s.addDeadLetter(letter('a', 'eu.myshopify.com/draft/1'));
    s.addDeadLetter(letter('a', 'eu.myshopify.com/draft/1'));
    s.addDeadLetter(letter('b', null));
    s.addDeadLetter(letter('c', 'eu.myshopify.com/draft/2'));
    expect(s.totalDeadLetters).toBe(3);
    expect(s.deadLetters('eu').map((l) => l.id)).toEqual(['c']); // 'a' fell out of the kept rows
    expect(s.deadLetters(null).map((l) => l.id)).toEqual(['b']);
    expect(s.pendingDeadLetters('eu', (id) => id === 'c')).toBe(1);
  });
});

describe('view', () => {
  const config = {
    stores: [],
    connections: [{ id: 'eu', sourceShop: 'main.myshopify.com', destinationShop: 'eu.myshopify.com' }],
  } as unknown as AppConfig;

  it('lists configured connections first and ones only seen in events after', () => {
    const s = state();
    s.addEvent(event({ connectionId: 'gone' }));
    const v = buildView(config, s, NOTHING_POLLED, true, new Date(0));
    expect(v.connections.map((c) => [c.connectionId, c.configured])).toEqual([
      ['eu', true],
      ['gone', false],
    ]);
    expect(v.lag).toBeNull();
  });

  it('computes mapping coverage over all destination variants of the last build', () => {
    const m = mappingView({
      report: { builtAt: 'x', matchBy: 'sku', mapped: 6, unmatched: ['1'], ambiguous: [{ key: 'k', destination: ['2', '3', '4'], source: ['5'] }] },
      unmapped: ['7'],
    });
    expect(m).toMatchObject({ mapped: 6, unmatched: 1, ambiguous: 3, coverage: 0.6, unmappedCount: 1 });
    expect(mappingView(undefined).coverage).toBeNull();
  });
});
