// The status page: one HTML document, no framework, no build step. The script polls
// api/status and rebuilds the view with DOM nodes whose text is set via text nodes only, so
// data from Shopify or users (reasons, names, keys) is never parsed as HTML. A CSP allowing
// only this script and style (by hash) backs that up.
import { documentCsp, htmlDocument } from './html-document.js';

const POLL_MS = 1500;

/** Shared with the settings page (settings-page.ts). */
export const PAGE_STYLE = `
:root { font: 14px/1.4 system-ui, sans-serif; color: #1d2330; background: #f4f5f7; }
body { margin: 0 auto; padding: 1rem 1.5rem; max-width: 1200px; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 0; }
h3 { font-size: .95rem; margin: 1rem 0 .4rem; color: #47506a; }
.meta { color: #6b7280; font-size: .85rem; }
.error { background: #fde8e8; color: #9b1c1c; padding: .5rem .75rem; border-radius: 6px; margin: .5rem 0; }
.card { background: #fff; border: 1px solid #dfe3ea; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eef0f4; vertical-align: top; }
th { color: #6b7280; font-weight: 600; }
td.reason { max-width: 28rem; overflow-wrap: anywhere; }
.counts { display: flex; flex-wrap: wrap; gap: .4rem; }
.count { border-radius: 999px; padding: .15rem .6rem; background: #eef0f4; font-size: .85rem; }
.count b { margin-left: .3rem; }
.o-CREATED, .o-UPDATED, .o-RECREATED, .o-COMPLETED, .o-INVOICE_SENT { background: #def7ec; color: #03543f; }
.o-DELETED { background: #e1effe; color: #1e429f; }
.o-SKIPPED, .o-INVOICE_SKIPPED { background: #fdf6b2; color: #723b13; }
.o-FAILED { background: #fde8e8; color: #9b1c1c; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
meter { width: 10rem; vertical-align: middle; }
code { font-size: .8rem; }
.muted { color: #9ca3af; }
tr.bad td { color: #9b1c1c; }
pre { white-space: pre-wrap; font-size: .8rem; }
`;

const STYLE = PAGE_STYLE;

const SCRIPT = `
'use strict';
const POLL_MS = ${POLL_MS};
// A token given as ?token= is kept for this tab and taken out of the address bar.
const params = new URLSearchParams(location.search);
if (params.has('token')) {
  sessionStorage.setItem('statusToken', params.get('token'));
  params.delete('token');
  history.replaceState(null, '', location.pathname + (params.toString() ? '?' + params : ''));
}
const token = sessionStorage.getItem('statusToken');

// el('td', { class: 'x' }, 'text', child): strings become text nodes, never markup.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}
const time = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const table = (heads, rows, empty) =>
  rows.length === 0 ? el('p', { class: 'muted' }, empty) : el('table', {}, el('thead', {}, el('tr', {}, heads.map((h) => el('th', {}, h)))), el('tbody', {}, rows));

function lagCard(lag) {
  if (!lag) return el('section', { class: 'card', id: 'lag' }, el('h2', {}, 'Consumer lag'), el('p', { class: 'muted' }, 'not read yet'));
  const row = (name, g) => el('tr', { 'data-group': name }, el('td', {}, name), el('td', {}, el('code', {}, g.groupId)), el('td', {}, el('code', {}, g.topic)),
    el('td', { class: 'lag-total' }, String(g.total) + (g.committed ? '' : ' (never committed)')), el('td', {}, g.partitions.map((p) => p.lag).join(' ')));
  return el('section', { class: 'card', id: 'lag' }, el('h2', {}, 'Consumer lag'),
    el('p', { class: 'meta' }, 'Records not yet committed by each service group (they read every connection).'),
    table(['service', 'group', 'topic', 'lag', 'per partition'], [row('mapper', lag.mapper), row('writer', lag.writer)], ''));
}

function lettersTable(letters) {
  return table(['failed', 'stage', 'key', 'reason', 'redriven'], letters.recent.map((l) =>
    el('tr', { 'data-letter': l.id }, el('td', {}, time(l.failedAt)), el('td', {}, l.stage), el('td', {}, el('code', {}, l.key || '—')),
      el('td', { class: 'reason' }, l.reason), el('td', {}, l.redriven ? time(l.redriven.at) : 'no'))), 'no dead letters');
}

function connectionCard(c) {
  const e = c.events;
  const outcomes = Object.entries(e.outcomes).sort(([a], [b]) => a.localeCompare(b));
  const m = c.mapping;
  const title = c.configured ? c.connectionId + ': ' + c.destinationShop + ' → ' + c.sourceShop : c.connectionId + ' (no longer configured)';
  return el('section', { class: 'card connection', 'data-connection': c.connectionId },
    el('h2', {}, title),
    el('p', { class: 'meta' }, 'last sync: ', el('span', { class: 'last-sync' }, time(e.lastSync)), ' · events: ' + e.total),
    el('div', { class: 'grid' },
      el('div', {}, el('h3', {}, 'Counts by outcome'),
        outcomes.length === 0 ? el('p', { class: 'muted' }, 'no events yet')
          : el('div', { class: 'counts' }, outcomes.map(([o, n]) => el('span', { class: 'count o-' + o, 'data-outcome': o }, o, el('b', {}, String(n)))))),
      el('div', {}, el('h3', {}, 'Mapping coverage'),
        m.coverage === null ? el('p', { class: 'muted' }, 'mappings never built')
          : el('p', { class: 'coverage' }, el('meter', { min: 0, max: 1, value: m.coverage }), ' ' + Math.round(m.coverage * 100) + '% · ',
              m.mapped + ' mapped, ' + m.unmatched + ' unmatched, ' + m.ambiguous + ' ambiguous (by ' + m.matchBy + ', built ' + time(m.builtAt) + ')')),
      el('div', {}, el('h3', {}, 'Unmapped variants (' + m.unmappedCount + ')'),
        m.unmappedCount === 0 ? el('p', { class: 'muted' }, 'none waiting')
          : el('p', { class: 'unmapped' }, m.unmapped.map((v) => el('code', {}, v + ' ')), m.unmappedCount > m.unmapped.length ? '…' : null))),
    el('h3', {}, 'Recent sync events'),
    table(['time', 'outcome', 'key', 'origin', 'source draft', 'reason'], e.recent.map((r) =>
      el('tr', { class: 'event', 'data-key': r.key, 'data-outcome': r.outcome },
        el('td', {}, time(r.occurredAt)), el('td', {}, el('span', { class: 'count o-' + r.outcome }, r.outcome)), el('td', {}, el('code', {}, r.key)),
        el('td', {}, r.originName || '—'), el('td', { class: 'source-draft' }, r.sourceDraftName || '—'),
        el('td', { class: 'reason' }, r.reason || (r.missingVariants.length ? 'missing ' + r.missingVariants.join(', ') : '')))), 'no events yet'),
    el('h3', {}, 'Dead letters (' + c.deadLetters.pending + ' pending)'),
    lettersTable(c.deadLetters));
}

function storesCard(stores) {
  const silent = (at) => (at ? time(at) + ' (' + Math.round((Date.now() - Date.parse(at)) / 60000) + ' min ago)' : 'never');
  const rows = stores.map((st) => el('tr', { 'data-store': st.shop, class: st.problems.length || st.checkError ? 'bad' : '' },
    el('td', {}, st.shop), el('td', {}, st.roles.join(' + ') || '—'),
    el('td', { class: 'token' }, st.checkError ? 'not answering' : st.token),
    el('td', { class: 'scopes' }, st.missingScopes.length ? 'missing ' + st.missingScopes.join(', ') : st.token === 'ok' ? 'ok' : '—'),
    el('td', { class: 'subscriptions' }, st.token !== 'ok' ? '—' : st.subscriptionProblems ? st.subscriptionProblems + ' topic(s) wrong' : 'ok'),
    el('td', { class: 'last-webhook' }, silent(st.lastWebhookAt))));
  return el('section', { class: 'card', id: 'stores' }, el('h2', {}, 'Stores'),
    table(['store', 'role', 'token', 'scopes', 'webhooks', 'last verified webhook'], rows, 'no stores'),
    ...stores.flatMap((st) => st.problems.map((p) => el('p', { class: 'error' }, p))));
}

function render(s) {
  const feed = s.feed.caughtUp ? 'live' : 'reading history…';
  const parts = [
    el('p', { class: 'meta', id: 'feed' }, 'updated ' + time(s.generatedAt) + ' · events read: ' + s.feed.eventsRead + ' (' + feed + ') · dead letters: ' + s.feed.deadLetters),
    s.poll.error ? el('p', { class: 'error' }, 'Kafka/Redis poll failed: ' + s.poll.error + (s.poll.at ? ' (showing data from ' + time(s.poll.at) + ')' : '')) : null,
    lagCard(s.lag),
    storesCard(s.stores),
    ...s.connections.map(connectionCard),
  ];
  if (s.unassignedDeadLetters.recent.length > 0) {
    parts.push(el('section', { class: 'card', id: 'unassigned' }, el('h2', {}, 'Dead letters of no connection (' + s.unassignedDeadLetters.pending + ' pending)'), lettersTable(s.unassignedDeadLetters)));
  }
  document.getElementById('app').replaceChildren(...parts.filter(Boolean));
}

// The lookup: draft-sync explain for one record, outside #app so the live updates leave it be.
async function lookup() {
  const out = document.getElementById('lookup-result');
  const q = new URLSearchParams({ shop: document.getElementById('lookup-shop').value, ref: document.getElementById('lookup-ref').value });
  out.textContent = 'looking…';
  try {
    const res = await fetch('api/explain?' + q, { headers: token ? { authorization: 'Bearer ' + token } : {}, cache: 'no-store' });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || 'HTTP ' + res.status);
    out.replaceChildren(el('p', { class: body.verdict.ok ? 'verdict' : 'verdict error' }, body.verdict.line), el('pre', {}, body.text));
  } catch (err) {
    out.replaceChildren(el('p', { class: 'error' }, err.message));
  }
}
document.getElementById('lookup-go').addEventListener('click', lookup);

async function poll() {
  try {
    const res = await fetch('api/status', { headers: token ? { authorization: 'Bearer ' + token } : {}, cache: 'no-store' });
    if (!res.ok) throw new Error('HTTP ' + res.status + (res.status === 401 ? ' — open the page with ?token=…' : ''));
    render(await res.json());
    document.getElementById('offline').hidden = true;
  } catch (err) {
    const banner = document.getElementById('offline');
    banner.textContent = 'Cannot reach the status service: ' + err.message;
    banner.hidden = false;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}
poll();
`;

/** Only the page's own script and style run; data goes to api/status on this origin only. */
export const PAGE_CSP = documentCsp(SCRIPT, STYLE);

export const PAGE_HTML = htmlDocument(
  'Draft Order Sync — status',
  STYLE,
  `<h1>Draft Order Sync — status</h1>
<p class="meta"><a id="settings-link" href="settings">Connection settings</a></p>
<p id="offline" class="error" hidden></p>
<section class="card" id="lookup"><h2>Why is a draft not there?</h2>
<p><label>destination shop <input id="lookup-shop" placeholder="eu-brand.myshopify.com"></label>
<label>draft <input id="lookup-ref" placeholder="#D1042, 1042 or order #1001"></label>
<button id="lookup-go" type="button">explain</button></p>
<div id="lookup-result"></div></section>
<main id="app"><p class="muted">loading…</p></main>`,
  SCRIPT,
);
