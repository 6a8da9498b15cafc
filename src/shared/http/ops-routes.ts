// /healthz, /readyz and /metrics, the same on every service.
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface OpsChecks {
  /** Ready to do work: the dependencies the service needs answer. */
  readonly ready: () => Promise<boolean> | boolean;
  readonly metrics: Registry;
}

export function registerOpsRoutes(app: FastifyInstance, checks: OpsChecks): void {
  // Liveness: the process is up and its event loop answers.
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    let ready = false;
    try {
      ready = await checks.ready();
    } catch {
      ready = false;
    }
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_req, reply) => {
    const body = await checks.metrics.metrics();
    return reply.header('content-type', checks.metrics.contentType).send(body);
  });
}
