// The settings page: per connection the live settings in plain words, a form to change them
// (Save), what is in force now and who changed what when. Like the status page: one document,
// no framework, data set as text nodes only, a CSP allowing only this script and style. The
// form is sent by the script as a urlencoded POST with the CSRF token and the write token
// (Authorization: Bearer); a refused field is named next to it.
import { documentCsp, htmlDocument } from './html-document.js';
import { PAGE_STYLE } from './page.js';

const STYLE = `${PAGE_STYLE}
fieldset { border: 0; padding: .35rem 0; margin: 0; display: grid; grid-template-columns: 22rem 1fr; align-items: center; gap: .5rem; border-bottom: 1px solid #eef0f4; }
legend { float: left; padding: 0; font-weight: 600; }
.current { color: #6b7280; font-size: .85rem; }
.field-error { color: #9b1c1c; font-size: .85rem; grid-column: 2; }
.field-error:empty { display: none; }
.ok { background: #def7ec; color: #03543f; padding: .5rem .75rem; border-radius: 6px; margin: .5rem 0; }
.warn { background: #fdf6b2; color: #723b13; padding: .5rem .75rem; border-radius: 6px; margin: .5rem 0; }
button { font: inherit; padding: .35rem 1rem; }
#token { width: 20rem; }
`;

const SCRIPT = `
'use strict';
const params = new URLSearchParams(location.search);
if (params.has('token')) {
  sessionStorage.setItem('statusToken', params.get('token'));
  params.delete('token');
  history.replaceState(null, '', location.pathname + (params.toString() ? '?' + params : ''));
}
const tokenInput = document.getElementById('token');
tokenInput.value = sessionStorage.getItem('statusToken') || '';
tokenInput.addEventListener('change', () => sessionStorage.setItem('statusToken', tokenInput.value));
const auth = () => (tokenInput.value ? { authorization: 'Bearer ' + tokenInput.value } : {});

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}
const time = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
let state = null;

function input(field, value) {
  const name = field.name;
  if (field.kind === 'yes-no') {
    return el('span', {}, ['yes', 'no'].map((v) => el('label', {}, el('input', { type: 'radio', name, value: v, checked: (v === 'yes') === value, 'data-field': name }), ' ' + (v === 'yes' ? 'Yes' : 'No') + ' ')));
  }
  if (field.kind === 'choice') {
    return el('select', { name, 'data-field': name }, field.choices.map((c) => el('option', { value: c.value, selected: c.value === value }, c.label)));
  }
  return el('input', { type: 'text', name, value: value === false ? '' : value, placeholder: 'off', 'data-field': name });
}

function connectionCard(c) {
  const form = el('form', { class: 'settings-form', 'data-connection': c.connectionId },
    state.fields.map((f) => el('fieldset', { 'data-field': f.name },
      el('legend', {}, f.question),
      el('span', {}, input(f, c.settings[f.name]), ' ', el('span', { class: 'current', 'data-field': f.name }, 'now: ' + c.shown[f.name])),
      el('span', { class: 'field-error', 'data-field': f.name }))),
    el('input', { type: 'hidden', name: 'revision', value: c.revision }),
    el('p', {}, el('button', { type: 'submit', class: 'save', disabled: !state.canWrite }, 'Save')));
  form.addEventListener('submit', (event) => { event.preventDefault(); save(form, c); });
  const history = c.history.map((h) => el('tr', { class: 'change', 'data-field': h.field },
    el('td', {}, time(h.at)), el('td', {}, h.field), el('td', {}, (h.from === null ? 'seeded' : h.from) + ' → ' + h.to), el('td', { class: 'who' }, h.by), el('td', {}, String(h.revision))));
  return el('section', { class: 'card connection', 'data-connection': c.connectionId },
    el('h2', {}, c.connectionId + ': ' + c.destinationShop + ' → ' + c.sourceShop),
    el('p', { class: 'meta in-force' }, c.revision ? 'In force: revision ' + c.revision + ', by ' + c.changedBy + ' at ' + time(c.changedAt) : 'Not seeded yet: the configuration file applies'),
    c.drift.map((d) => el('p', { class: 'warn drift' }, d)),
    form,
    el('div', { class: 'result' }),
    el('h3', {}, 'History'),
    history.length === 0 ? el('p', { class: 'muted' }, 'no changes') : el('table', {}, el('thead', {}, el('tr', {}, ['when', 'setting', 'change', 'who', 'revision'].map((h) => el('th', {}, h)))), el('tbody', {}, history)));
}

function render() {
  const following = state.instances.map((i) => i.role).reduce((n, r) => ({ ...n, [r]: (n[r] || 0) + 1 }), {});
  const parts = [
    state.canWrite ? null : el('p', { class: 'warn', id: 'read-only' }, 'Read-only: no write token is configured (SETTINGS_TOKENS).'),
    el('p', { class: 'meta', id: 'instances' }, 'Running instances following the settings: ' + (Object.entries(following).map(([r, n]) => n + ' ' + r).join(', ') || 'none')),
    ...state.connections.map(connectionCard),
  ];
  document.getElementById('app').replaceChildren(...parts.filter(Boolean));
}

async function load() {
  const res = await fetch('api/settings', { headers: auth(), cache: 'no-store' });
  if (!res.ok) throw new Error('HTTP ' + res.status + (res.status === 401 ? ' — give your token' : ''));
  state = await res.json();
  render();
}

async function save(form, c) {
  const card = form.closest('section');
  const result = card.querySelector('.result');
  for (const e of card.querySelectorAll('.field-error')) e.textContent = '';
  result.replaceChildren(el('p', { class: 'muted' }, 'saving…'));
  const body = new URLSearchParams(new FormData(form));
  body.set('csrf', state.csrf);
  try {
    const res = await fetch('api/settings/' + encodeURIComponent(c.connectionId), { method: 'POST', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, body, cache: 'no-store' });
    const answer = await res.json();
    if (!res.ok) {
      for (const p of answer.problems || []) {
        const slot = card.querySelector('.field-error[data-field="' + CSS.escape(p.field) + '"]');
        if (slot) slot.textContent = p.message;
      }
      result.replaceChildren(el('p', { class: 'error', id: 'save-error' }, answer.error));
      return;
    }
    await load();
    const fresh = document.querySelector('section[data-connection="' + CSS.escape(c.connectionId) + '"] .result');
    fresh.replaceChildren(el('div', {},
      el('p', { class: 'ok saved' }, answer.message),
      answer.behind.length ? el('p', { class: 'warn' }, 'Not confirmed yet by: ' + answer.behind.join(', ')) : null,
      answer.followUps.map((f) => el('div', { class: 'follow-up' }, el('p', {}, f.why), el('pre', { 'data-kind': f.kind }, f.command)))));
  } catch (err) {
    result.replaceChildren(el('p', { class: 'error', id: 'save-error' }, err.message));
  }
}

document.getElementById('reload').addEventListener('click', () => load().catch(showError));
function showError(err) {
  document.getElementById('app').replaceChildren(el('p', { class: 'error', id: 'load-error' }, 'Cannot load the settings: ' + err.message));
}
load().catch(showError);
`;

export const SETTINGS_CSP = documentCsp(SCRIPT, STYLE);

export const SETTINGS_HTML = htmlDocument(
  'Draft Order Sync — settings',
  STYLE,
  `<h1>Draft Order Sync — connection settings</h1>
<p class="meta"><a href="./">Status</a> · changes apply within seconds to every mapper and writer, without a restart</p>
<p><label>Your token <input id="token" type="password" autocomplete="off"></label> <button id="reload" type="button">Reload</button></p>
<main id="app"><p class="muted">loading…</p></main>`,
  SCRIPT,
);
