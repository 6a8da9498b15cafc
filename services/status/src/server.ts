// HTTP surface of the status service: the page, its JSON, the settings page (settings-routes.ts)
// and the ops routes. The one state-changing route is saving live settings, behind a write
// token and CSRF protection; redrives and rebuilds stay with the `draft-sync` CLI.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { registerOpsRoutes } from '../../../src/shared/http/ops-routes.js';
import { quietRequestLogs } from '../../../src/shared/http/quiet-requests.js';
import type { Logger } from '../../../src/shared/log.js';
import { requireToken } from './auth.js';
import { PAGE_CSP, PAGE_HTML } from './page.js';
import { registerSettingsRoutes, type SettingsRouteDeps } from './settings-routes.js';
import type { StatusView } from './view.js';

export interface StatusServerDeps {
  readonly logger: Logger;
  readonly metricsRegistry: Registry;
  readonly ready: () => Promise<boolean> | boolean;
  readonly view: () => StatusView;
  /** Required on every request when set (a write token reads too). */
  readonly token: string | null;
  readonly settings: SettingsRouteDeps;
  /** `draft-sync explain` for one record: its verdict and story (reads only the key's partitions). */
  readonly explain: (shop: string, ref: string) => Promise<{ readonly verdict: { readonly line: string; readonly ok: boolean }; readonly text: string }>;
}

/** A bad shop or record reference: answered 400 with the reason. */
export class LookupInputError extends Error {}

export function buildStatusServer(deps: StatusServerDeps): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app: FastifyInstance = Fastify({ loggerInstance, logController: quietRequestLogs() });
  if (deps.token) requireToken(app, [deps.token, ...deps.settings.writeTokens.map((t) => t.token)]);
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
  });
  registerOpsRoutes(app, { ready: deps.ready, metrics: deps.metricsRegistry });
  registerSettingsRoutes(app, deps.settings);
  app.get('/', async (_req, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('x-frame-options', 'DENY').send(PAGE_HTML),
  );
  // Served from memory: requests never reach Kafka or Redis, so polling clients add no load there.
  app.get('/api/status', async () => deps.view());
  // The lookup reads Kafka: one at a time, so a held-down button cannot pile reads up.
  let looking = false;
  app.get<{ Querystring: { shop?: string; ref?: string } }>('/api/explain', async (req, reply) => {
    const shop = (req.query.shop ?? '').trim();
    const ref = (req.query.ref ?? '').trim();
    if (shop === '' || ref === '') return reply.code(400).send({ error: 'give shop and ref (a draft id, #D name, order #name or order/<id>)' });
    if (looking) return reply.code(429).send({ error: 'a lookup is running; try again in a moment' });
    looking = true;
    try {
      return await deps.explain(shop, ref);
    } catch (err) {
      if (err instanceof LookupInputError) return reply.code(400).send({ error: err.message });
      deps.logger.warn({ err, shop }, 'status: lookup failed');
      return reply.code(503).send({ error: `lookup failed: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      looking = false;
    }
  });
  return app;
}
