// explain's pure parts: the reference and shop parsing, the partition a key lives in, how
// records are related to each other, and the verdict for each kind of story.
import { describe, expect, it } from 'vitest';
import { rawEnvelope, type RawWebhookEnvelope } from '../contracts/raw-envelope.js';
import { syncEvent, type DraftOrderSyncEvent } from '../contracts/sync-event.js';
import type { MappedDraftOrder } from '../domain/model.js';
import { resolveConfig } from '../shared/config/index.js';
import { eventFacts, mappedFacts, rawFacts, repeatOf, type EventFact, type ExplainFacts, type KeyRecord, type MappedFact, type RawFact } from './explain-facts.js';
import { formatStory } from './explain-format.js';
import { ExplainInputError, normalizeShop, parseRef, resolveTarget } from './explain-ref.js';
import { partitionForKey } from './explain-topics.js';
import { decideVerdict } from './explain-verdict.js';
import { peekVersion } from './replay/select.js';
import { peekName } from './explain.js';
import { mappedRecord as fixtureRecord } from '../../test/support/mapped-fixtures.js';

const SHOP = 'eu-brand.myshopify.com';
const KEY = `${SHOP}/draft/1042`;
const V1 = '2026-12-01T10:00:00Z';
const V2 = '2026-12-01T11:00:00Z';

describe('parseRef', () => {
  it.each([
    ['1042', { by: 'id', kind: 'draft', id: '1042' }],
    [' draft/1042 ', { by: 'id', kind: 'draft', id: '1042' }],
    ['order:5001', { by: 'id', kind: 'order', id: '5001' }],
    ['gid://shopify/DraftOrder/1042', { by: 'id', kind: 'draft', id: '1042' }],
    ['gid://shopify/Order/5001', { by: 'id', kind: 'order', id: '5001' }],
    ['#D1042', { by: 'name', kind: 'draft', name: '#D1042' }],
    ['d1042', { by: 'name', kind: 'draft', name: '#D1042' }],
    ['#1001', { by: 'name', kind: 'order', name: '#1001' }],
  ])('%s', (text, ref) => {
    expect(parseRef(text)).toEqual({ ok: true, value: ref });
  });

  it.each(['', 'abc', '#', '#D', '0', '-12', 'gid://shopify/Product/1', '1042x'])('refuses %j, naming what is accepted', (text) => {
    const result = parseRef(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/expected a draft id .*#D12.*#1001.*order\/5001/);
  });
});

describe('resolveTarget', () => {
  const config = resolveConfig(
    {
      stores: ['mainbrand', 'eu-brand'].map((s) => ({ shop: `${s}.myshopify.com`, adminTokenEnv: 'T', webhookSecretEnvs: ['S'] })),
      connections: [{ id: 'eu', source: 'mainbrand.myshopify.com', destination: SHOP }],
    },
    { T: 't', S: 's' },
  );

  it('takes the shop as people type it', () => {
    expect(normalizeShop('EU-Brand')).toBe(SHOP);
    expect(normalizeShop('https://eu-brand.myshopify.com/')).toBe(SHOP);
    const target = resolveTarget(config, 'eu-brand', '#D12');
    expect(target).toMatchObject({ shop: SHOP, connection: { id: 'eu' }, sourceStore: { shop: 'mainbrand.myshopify.com' }, ref: { by: 'name', name: '#D12' } });
  });

  it('an unknown shop names the destinations; a source store is told apart', () => {
    expect(() => resolveTarget(config, 'us-brand', '12')).toThrow(new ExplainInputError("us-brand: is no connection’s destination store (destinations: eu-brand.myshopify.com)"));
    expect(() => resolveTarget(config, 'mainbrand', '12')).toThrow(/is a source store; explain takes the destination store/);
  });

  it('a bad reference is an input error', () => {
    expect(() => resolveTarget(config, SHOP, 'nope')).toThrow(ExplainInputError);
  });
});

describe('partitionForKey', () => {
  // Java's murmur2 reference values (kafka-clients Utils.murmur2), as the DefaultPartitioner maps them.
  const javaPartition = (hash: number, n: number): number => (hash & 0x7fffffff) % n;

  it.each([
    ['0', 971027396],
    ['1', -1993445489],
    ['128', -326012175],
    ['10000000', -1830336757],
  ])('key %s lands where the Java client puts it', (key, hash) => {
    for (const n of [1, 3, 6, 7]) expect(partitionForKey(key, n)).toBe(javaPartition(hash, n));
  });

  it('refuses a partition count that is not positive', () => {
    expect(() => partitionForKey(KEY, 0)).toThrow(/positive integer/);
  });
});

const envelope = (over: Partial<RawWebhookEnvelope> & { readonly version?: string }): RawWebhookEnvelope =>
  rawEnvelope({
    id: 'w1',
    topic: 'draft_orders/update',
    shop: SHOP,
    originKind: 'draft',
    originId: '1042',
    body: Buffer.from(JSON.stringify({ id: 1042, name: '#D1042', updated_at: over.version ?? V1 })),
    receivedAt: Date.parse(V1),
    ...over,
  });

const rec = <T>(offset: number, value: T): KeyRecord<T> => ({ partition: 2, offset: String(offset), timestamp: Date.parse(V1) + offset * 1000, value });

/** The project's mapped-record fixture, as eu-brand's #D1042 at V1 (no draft body needed here). */
const mappedRecord = (over: Partial<MappedDraftOrder>): MappedDraftOrder =>
  fixtureRecord({ origin: { shop: SHOP, kind: 'draft', id: '1042', name: '#D1042' }, connectionId: 'eu', version: V1, draft: null, rawId: 'w1', ...over });

describe('relating the records', () => {
  it('marks repeats: the same version again, or an older one after a newer', () => {
    expect(repeatOf(V1, [])).toBe('new');
    expect(repeatOf('2026-12-01T10:00:00.000Z', [V1])).toBe('duplicate');
    expect(repeatOf(V1, [V2])).toBe('older');
    expect(repeatOf(V2, [V1])).toBe('new');
  });

  it('reads version and name from REST and GraphQL bodies, and a delete’s time', () => {
    const raw = rawFacts(
      [
        rec(1, envelope({ id: 'w1' })),
        rec(2, envelope({ id: 'b1', source: 'backfill', bodyFormat: 'graphql', topic: 'draft_orders/backfill', body: Buffer.from(JSON.stringify({ name: '#D1042', updatedAt: V1 })) })),
        rec(3, envelope({ id: 'w2', topic: 'draft_orders/delete', triggeredAt: V2, body: Buffer.from('{"id":1042}') })),
      ],
      peekVersion,
      peekName,
    );
    expect(raw.map((r) => [r.source, r.version, r.name, r.repeat])).toEqual([
      ['webhook', V1, '#D1042', 'new'],
      ['backfill', V1, '#D1042', 'duplicate'],
      ['webhook', V2, null, 'new'],
    ]);
  });

  it('ties mapped records to their raw record (replays and redrives apart) and events to their mapped record', () => {
    const raw = rawFacts([rec(1, envelope({ id: 'w1' })), rec(2, envelope({ id: 'w1' }))], peekVersion, peekName);
    const mappedRecords = [
      rec(5, mappedRecord({})),
      rec(6, mappedRecord({})),
      rec(7, mappedRecord({ rawId: 'replay:w1', recordSource: 'replay', force: true, action: 'SKIP', skipReason: 'UNMAPPED', missingVariants: ['41', '42'] })),
    ];
    const mapped = mappedFacts(mappedRecords, raw, new Map([['41', '9001']]));
    expect(mapped.map((m) => [m.offset, m.of, m.direct])).toEqual([
      ['5', '1', true],
      ['6', '2', true],
      ['7', '1', false],
    ]);
    expect(mapped[2]!.missingVariants).toEqual([
      { id: '41', mappedNow: '9001' },
      { id: '42', mappedNow: null },
    ]);
    const created = syncEvent(mappedRecords[0]!.value, 'CREATED', { sourceDraftName: '#D7' }, new Date());
    const stray: DraftOrderSyncEvent = { ...created, eventId: 'not-ours' };
    const events = eventFacts([rec(8, created), rec(9, created), rec(10, stray)], mappedRecords);
    expect(events.map((e) => [e.offset, e.mappedOffset])).toEqual([
      ['8', '5'],
      ['10', null],
    ]);
  });
});

// ---- verdicts ----

const raw = (offset: number, over: Partial<RawFact> = {}): RawFact => ({
  partition: 2,
  offset: String(offset),
  at: new Date(Date.parse(V1) + offset * 1000).toISOString(),
  receivedAt: V1,
  source: 'webhook',
  topic: 'draft_orders/update',
  rawId: `w${offset}`,
  version: V1,
  name: '#D1042',
  repeat: 'new',
  ...over,
});

const mapped = (offset: number, of: number, over: Partial<MappedFact> = {}): MappedFact => ({
  offset: String(offset),
  at: new Date(Date.parse(V1) + offset * 1000).toISOString(),
  rawId: `w${of}`,
  recordSource: 'webhook',
  force: false,
  action: 'UPSERT',
  version: V1,
  skipReason: null,
  missingVariants: [],
  of: String(of),
  direct: true,
  ...over,
});

const event = (offset: number, mappedOffset: number, over: Partial<EventFact> = {}): EventFact => ({
  offset: String(offset),
  at: new Date(Date.parse(V1) + offset * 1000).toISOString(),
  eventId: `e${offset}`,
  outcome: 'CREATED',
  reason: null,
  version: V1,
  recordSource: 'webhook',
  sourceDraftId: 'gid://shopify/DraftOrder/7',
  sourceDraftName: '#D7',
  mappedOffset: String(mappedOffset),
  ...over,
});

const LINK = { sourceDraftId: 'gid://shopify/DraftOrder/7', sourceDraftName: '#D7', appliedVersion: V1, status: 'OPEN', invoiceSent: false, createIntentAt: null } as const;
const COPY = { state: 'found', lookedUpBy: 'id', id: 'gid://shopify/DraftOrder/7', name: '#D7', status: 'OPEN', updatedAt: V1 } as const;

function facts(over: Partial<ExplainFacts> = {}): ExplainFacts {
  return {
    shop: SHOP,
    kind: 'draft',
    id: '1042',
    key: KEY,
    name: '#D1042',
    connectionId: 'eu',
    sourceShop: 'mainbrand.myshopify.com',
    unmappedPolicy: 'skip',
    orderTrigger: true,
    since: null,
    partitions: { raw: 2, mapped: 2, events: 2 },
    destination: null,
    raw: [raw(1)],
    mapped: [mapped(5, 1)],
    events: [event(8, 5)],
    deadLetters: [],
    link: LINK,
    sourceCopy: COPY,
    ...over,
  };
}

const unmapped = (mappedNow: string | null): Partial<ExplainFacts> => ({
  mapped: [mapped(5, 1, { action: 'SKIP', skipReason: 'UNMAPPED', missingVariants: [{ id: '41', mappedNow }, { id: '42', mappedNow: '9002' }] })],
  events: [event(8, 5, { outcome: 'SKIPPED', reason: 'UNMAPPED', sourceDraftId: null, sourceDraftName: null })],
  link: null,
  sourceCopy: { state: 'missing', lookedUpBy: 'tag' },
});

describe('decideVerdict', () => {
  it('synced: the copy holds the newest version', () => {
    expect(decideVerdict(facts())).toMatchObject({ kind: 'synced', ok: true, line: `synced: #D7 holds version ${V1}` });
  });

  it('synced with unmapped lines left out (unmapped: partial) says which, and how to bring them', () => {
    const v = decideVerdict(facts({ unmappedPolicy: 'partial', mapped: [mapped(5, 1, { missingVariants: [{ id: '41', mappedNow: null }] })] }));
    expect(v).toMatchObject({ kind: 'synced', ok: true });
    expect(v.line).toContain('1 unmapped line(s) left out: 41');
    expect(v.fix).toContain(`draft-sync replay --force --shop ${SHOP} --from ${raw(1).at}`);
  });

  it('skipped unmapped, still missing: names the variants, map them, then replay --force from the record', () => {
    const v = decideVerdict(facts(unmapped(null)));
    expect(v).toMatchObject({ kind: 'unmapped', ok: false });
    expect(v.line).toBe(`1 variant(s) unmapped (41) — map them (\`draft-sync mappings build|set --connection eu\`), then \`draft-sync replay --force --shop ${SHOP} --from ${raw(1).at}\``);
  });

  it('skipped unmapped, mapped now: replay --force', () => {
    const v = decideVerdict(facts(unmapped('9001')));
    expect(v).toMatchObject({ kind: 'mapped-since', ok: false });
    expect(v.line).toBe(`skipped as unmapped, but its 2 variant(s) are mapped now — run \`draft-sync replay --force --shop ${SHOP} --from ${raw(1).at}\``);
  });

  it('a newer version skipped as unmapped is not hidden by an older synced one', () => {
    const v = decideVerdict(
      facts({
        raw: [raw(1), raw(2, { version: V2 })],
        mapped: [mapped(5, 1), mapped(6, 2, { version: V2, action: 'SKIP', skipReason: 'UNMAPPED', missingVariants: [{ id: '41', mappedNow: null }] })],
        events: [event(8, 5), event(9, 6, { outcome: 'SKIPPED', reason: 'UNMAPPED', version: V2 })],
      }),
    );
    expect(v.kind).toBe('unmapped');
    expect(v.fix).toContain(`--from ${raw(2).at}`);
  });

  it('stale duplicate: the version came twice, the repeat was skipped as STALE', () => {
    const v = decideVerdict(
      facts({
        raw: [raw(1), raw(2, { repeat: 'duplicate' })],
        mapped: [mapped(5, 1), mapped(6, 2)],
        events: [event(8, 5), event(9, 6, { outcome: 'SKIPPED', reason: 'STALE' })],
      }),
    );
    expect(v).toMatchObject({ kind: 'stale-duplicate', ok: true });
    expect(v.line).toBe(`stale duplicate: version ${V1} arrived 2 times (webhook, webhook); the writer applied it once and skipped the repeat as STALE — #D7 holds version ${V1}, nothing to do`);
  });

  it('stale duplicate also when the writer coalesced the first delivery into the second', () => {
    const v = decideVerdict(
      facts({
        raw: [raw(1), raw(2, { repeat: 'duplicate' })],
        mapped: [mapped(5, 1), mapped(6, 2)],
        events: [event(8, 5, { outcome: 'SKIPPED', reason: `STALE: coalesced into a newer version (${V1})` }), event(9, 6)],
      }),
    );
    expect(v.kind).toBe('stale-duplicate');
  });

  it('stale: an older version arriving late is skipped and said so', () => {
    const v = decideVerdict(
      facts({
        raw: [raw(1, { version: V2 }), raw(2, { version: V1, repeat: 'older' })],
        mapped: [mapped(5, 1, { version: V2 }), mapped(6, 2)],
        events: [event(8, 5, { version: V2 }), event(9, 6, { outcome: 'SKIPPED', reason: 'STALE' })],
        link: { ...LINK, appliedVersion: V2 },
      }),
    );
    expect(v).toMatchObject({ kind: 'stale-duplicate', ok: true });
    expect(v.line).toContain(`stale: an older version (${V1}`);
  });

  it('dead-lettered: the pending letter, with its redrive command', () => {
    const letter = { id: 'writer:t.mapped/2/5', stage: 'writer', reason: 'invalid input:\n  source shop not configured', failedAt: V1, originTopic: 't.mapped', originOffset: '5', version: V1, redriven: null } as const;
    const v = decideVerdict(facts({ deadLetters: [letter], events: [event(8, 5, { outcome: 'FAILED', reason: letter.reason })], link: null, sourceCopy: { state: 'missing', lookedUpBy: 'tag' } }));
    expect(v).toMatchObject({ kind: 'dead-lettered', ok: false });
    expect(v.line).toBe('dead-lettered by the writer: invalid input: source shop not configured — fix the cause, then `draft-sync dlq redrive --id writer:t.mapped/2/5`');
    // Redriven, or older than what was applied since: no longer the story.
    expect(decideVerdict(facts({ deadLetters: [{ ...letter, redriven: { at: V2, to: 't.mapped' } }] })).kind).toBe('synced');
    expect(decideVerdict(facts({ deadLetters: [{ ...letter, version: '2026-11-01T00:00:00Z' }] })).kind).toBe('synced');
  });

  it('deleted: the tombstone, with the copy gone (or still there, to delete by hand)', () => {
    const gone = facts({ link: { ...LINK, status: 'DELETED', appliedVersion: V2 }, sourceCopy: { state: 'missing', lookedUpBy: 'id' } });
    expect(decideVerdict(gone)).toMatchObject({ kind: 'deleted', ok: true, line: `deleted in eu-brand: the copy #D7 was deleted (version ${V2})` });
    const still = decideVerdict({ ...gone, sourceCopy: COPY });
    expect(still).toMatchObject({ kind: 'deleted', ok: false, fix: 'delete #D7 in mainbrand.myshopify.com by hand' });
  });

  it('never received: reconcile for drafts, backfill for orders; not found when the destination has no such record', () => {
    const none = facts({ raw: [], mapped: [], events: [], link: null, sourceCopy: { state: 'missing', lookedUpBy: 'tag' } });
    expect(decideVerdict(none)).toMatchObject({
      kind: 'never-received',
      ok: false,
      line: `never received: no webhook, backfill or reconcile record for it — run \`draft-sync reconcile --shop ${SHOP}\` (and check \`draft-sync stores check --shop ${SHOP}\`)`,
    });
    expect(decideVerdict({ ...none, kind: 'order', since: V1 }).line).toContain(`for it since ${V1} — run \`draft-sync backfill --shop ${SHOP}\``);
    expect(decideVerdict({ ...none, destination: { state: 'missing' } }).kind).toBe('not-found');
    expect(decideVerdict({ ...none, kind: 'order', orderTrigger: false }).summary).toMatch(/orders do not sync on connection eu \(orderTrigger off\)/);
  });

  it('copy lost: applied, but the source store no longer has it → replay --force', () => {
    const v = decideVerdict(facts({ sourceCopy: { state: 'missing', lookedUpBy: 'id' } }));
    expect(v).toMatchObject({ kind: 'copy-lost', ok: false });
    expect(v.fix).toBe(`recreate it: \`draft-sync replay --force --shop ${SHOP} --from ${raw(1).at}\``);
  });

  it('in flight: received but not mapped yet, or mapped without a writer outcome', () => {
    expect(decideVerdict(facts({ mapped: [], events: [], link: null })).kind).toBe('in-flight');
    expect(decideVerdict(facts({ events: [], link: null })).summary).toMatch(/has no writer outcome yet/);
  });

  it('settings skips name the setting; a loop needs nothing', () => {
    const skip = (skipReason: 'SYNC_DISABLED' | 'LOOP') => facts({ ...unmapped(null), mapped: [mapped(5, 1, { action: 'SKIP', skipReason })] });
    expect(decideVerdict(skip('SYNC_DISABLED'))).toMatchObject({ kind: 'skipped', ok: false, summary: 'skipped: sync is disabled on connection eu' });
    expect(decideVerdict(skip('LOOP'))).toMatchObject({ kind: 'skipped', ok: true });
  });
});

describe('formatStory', () => {
  it('prints the history oldest first with the mapper and writer beneath each raw record', () => {
    const f = facts({ raw: [raw(1), raw(2, { repeat: 'duplicate' })], mapped: [mapped(5, 1), mapped(6, 2)], events: [event(8, 5), event(9, 6, { outcome: 'SKIPPED', reason: 'STALE' })] });
    const text = formatStory({ ...f, verdict: decideVerdict(f) });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${KEY} (#D1042) → mainbrand.myshopify.com (connection eu)`);
    const history = lines.slice(lines.indexOf('history (oldest first):') + 1, lines.indexOf('', 4)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    expect(history).toEqual([`${raw(1).at} raw@1`, 'mapper@5 UPSERT', 'writer@8 CREATED', `${raw(2).at} raw@2`, 'mapper@6 UPSERT', 'writer@9 SKIPPED']);
    expect(text).toContain('(duplicate)');
    expect(text).toMatch(/verdict: {5}stale duplicate/);
  });
});
