// HTTP surface of the status service: the page, its JSON, and the ops routes. GET only:
// nothing here changes state (redrives and rebuilds stay with the `draft-sync` CLI).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { registerOpsRoutes } from '../../../src/shared/http/ops-routes.js';
import { quietRequestLogs } from '../../../src/shared/http/quiet-requests.js';
import type { Logger } from '../../../src/shared/log.js';
import { requireToken } from './auth.js';
import { PAGE_CSP, PAGE_HTML } from './page.js';
import type { StatusView } from './view.js';

export interface StatusServerDeps {
  readonly logger: Logger;
  readonly metricsRegistry: Registry;
  readonly ready: () => Promise<boolean> | boolean;
  readonly view: () => StatusView;
  /** Required on every request when set. */
  readonly token: string | null;
}

export function buildStatusServer(deps: StatusServerDeps): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app: FastifyInstance = Fastify({ loggerInstance, logController: quietRequestLogs() });
  if (deps.token) requireToken(app, deps.token);
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
  });
  registerOpsRoutes(app, { ready: deps.ready, metrics: deps.metricsRegistry });
  app.get('/', async (_req, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('x-frame-options', 'DENY').send(PAGE_HTML),
  );
  // Served from memory: requests never reach Kafka or Redis, so polling clients add no load there.
  app.get('/api/status', async () => deps.view());
  return app;
}
