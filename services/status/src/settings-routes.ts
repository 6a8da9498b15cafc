// The settings page's HTTP surface: the page, its JSON (what is in force, the history, the
// CSRF token) and the one state-changing route, POST api/settings/<connection>. A write needs a
// named write token (SETTINGS_TOKENS) as a Bearer header — on every bind, localhost too — and
// the form's CSRF token; the whole change is checked before anything is written.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig, NamedToken } from '../../../src/shared/config/index.js';
import { findConnectionById } from '../../../src/shared/config/index.js';
import { fileDrift, followUps, LIVE_FIELDS, showValue, type FollowUp, type Confirmation, type FieldChange, type HistoryEntry, type InstanceReport, type LiveConfig, type SaveResult } from '../../../src/live-settings/index.js';
import type { Logger } from '../../../src/shared/log.js';
import { writerOf } from './auth.js';
import type { CsrfGuard } from './csrf.js';
import { SETTINGS_CSP, SETTINGS_HTML } from './settings-page.js';

export interface SettingsRouteDeps {
  readonly live: LiveConfig;
  /** The file: connections' identity, and what seeding writes. */
  readonly file: AppConfig;
  readonly writeTokens: readonly NamedToken[];
  readonly csrf: CsrfGuard;
  /** Newest first. */
  readonly history: (connectionId: string) => readonly HistoryEntry[];
  readonly instances: () => Promise<readonly InstanceReport[]>;
  /** Waits until every running mapper and writer applied the settings record at `offset`. */
  readonly confirm: (offset: bigint) => Promise<Confirmation>;
  readonly logger: Logger;
}

const FORM_LIMIT_BYTES = 16 * 1024;
const HISTORY_SHOWN = 50;

export function registerSettingsRoutes(app: FastifyInstance, deps: SettingsRouteDeps): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.get('/settings', async (_req, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', SETTINGS_CSP).header('x-frame-options', 'DENY').send(SETTINGS_HTML),
  );

  app.get('/api/settings', async (req, reply) => {
    const issued = deps.csrf.issue(req.headers.cookie);
    if (issued.setCookie) void reply.header('set-cookie', issued.setCookie);
    const config = deps.live.config();
    // Now, not as at start-up: a save may have made the file agree or disagree.
    const drift = fileDrift(deps.file, deps.live.follower.all());
    return {
      csrf: issued.token,
      canWrite: deps.writeTokens.length > 0,
      fields: LIVE_FIELDS,
      instances: (await deps.instances()).map((i) => ({ instance: i.instance, role: i.role, position: String(i.position) })),
      connections: config.connections.map((c) => {
        const entry = deps.live.entry(c.id);
        const { id: _id, sourceShop, destinationShop, ...settings } = c;
        return {
          connectionId: c.id,
          sourceShop,
          destinationShop,
          revision: entry?.revision ?? null,
          changedBy: entry?.changedBy ?? null,
          changedAt: entry ? new Date(entry.changedAt).toISOString() : null,
          settings,
          shown: Object.fromEntries(LIVE_FIELDS.map((f) => [f.name, showValue(f.name, settings[f.name])])),
          drift: drift.filter((line) => line.startsWith(`connection ${c.id}: `)),
          history: deps.history(c.id).slice(0, HISTORY_SHOWN),
        };
      }),
    };
  });

  app.post<{ Params: { connection: string }; Body: unknown }>('/api/settings/:connection', { bodyLimit: FORM_LIMIT_BYTES }, async (req, reply) => {
    const who = writerOf(req.headers.authorization, deps.writeTokens);
    if (who === null) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="draft-order-sync settings"').send({ error: 'changing settings needs a write token (SETTINGS_TOKENS), sent as Authorization: Bearer' });
    }
    if (!sameOrigin(req)) return reply.code(403).send({ error: 'cross-site request refused' });
    const form = isForm(req.body) ? req.body : null;
    if (!form || !deps.csrf.verify(req.headers.cookie, form.csrf)) return reply.code(403).send({ error: 'missing or invalid CSRF token: reload the page' });
    const { csrf: _csrf, revision, ...values } = form;
    const expectedRevision = revision === undefined || revision === '' ? undefined : Number(revision);
    if (expectedRevision !== undefined && !Number.isSafeInteger(expectedRevision)) {
      return reply.code(400).send({ error: 'refused: revision is not a number', problems: [{ field: 'revision', message: 'expected the revision the form was loaded with' }] });
    }
    const connectionId = req.params.connection;
    const result = await deps.live.writer.save(deps.file, { connectionId, values, by: who, ...(expectedRevision !== undefined ? { expectedRevision } : {}) });
    return answer(reply, deps, connectionId, who, result);
  });
}

async function answer(reply: FastifyReply, deps: SettingsRouteDeps, connectionId: string, who: string, result: SaveResult): Promise<unknown> {
  switch (result.kind) {
    case 'unknown-connection':
      return reply.code(404).send({ error: `no connection ${connectionId} in the configuration` });
    case 'invalid':
      return reply.code(400).send({ error: `refused, nothing was changed: ${result.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems: result.problems });
    case 'conflict':
      return reply.code(409).send({ error: `changed meanwhile by ${result.entry.changedBy} (revision ${result.entry.revision}): reload the page and try again`, revision: result.entry.revision });
    case 'unchanged':
      return { message: `Nothing changed (revision ${result.entry.revision} stays in force).`, revision: result.entry.revision, changes: [], following: [], behind: [], followUps: [] };
    case 'saved': {
      const confirmation = await deps.confirm(result.entry.offset);
      deps.logger.info({ connection: connectionId, revision: result.entry.revision, by: who, fields: result.changes.map((c) => c.field) }, 'settings saved');
      const changes = result.changes.map((c) => `${c.field} ${showValue(c.field, c.from)} → ${showValue(c.field, c.to)}`).join('; ');
      const counts = countRoles(confirmation.following);
      return {
        message: `Saved revision ${result.entry.revision}: ${changes}. In force on ${counts || 'no running instance yet'}.`,
        revision: result.entry.revision,
        changes: result.changes,
        following: confirmation.following.map((i) => i.instance),
        behind: confirmation.behind.map((i) => i.instance),
        followUps: nextSteps(deps, connectionId, result.changes),
      };
    }
  }
}

/** What the change asks for next (the backfill for the time sync was off, …). */
function nextSteps(deps: SettingsRouteDeps, connectionId: string, changes: readonly FieldChange[]): FollowUp[] {
  const connection = findConnectionById(deps.file, connectionId);
  return connection ? followUps(connection, changes, deps.history(connectionId)) : [];
}

function countRoles(instances: readonly InstanceReport[]): string {
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.role, (counts.get(i.role) ?? 0) + 1);
  return [...counts].map(([role, n]) => `${n} ${role}${n === 1 ? '' : 's'}`).join(' and ');
}

function isForm(body: unknown): body is Record<string, string | undefined> {
  return typeof body === 'object' && body !== null && Object.values(body).every((v) => typeof v === 'string');
}

/** A browser names where a request comes from; one from another site is refused outright. */
function sameOrigin(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
