// A small fastify server for services whose only HTTP surface is the ops routes (mapper, writer).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log.js';
import { registerOpsRoutes, type OpsChecks } from './ops-routes.js';

export async function startOpsServer(
  checks: OpsChecks,
  opts: { host: string; port: number; logger: Logger },
): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = opts.logger.child({ component: 'ops-http' });
  const app: FastifyInstance = Fastify({ loggerInstance, disableRequestLogging: true });
  registerOpsRoutes(app, checks);
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
