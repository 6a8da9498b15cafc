// A small fastify server for services whose only HTTP surface is the ops routes (mapper, writer).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log.js';
import { registerOpsRoutes, type OpsChecks } from './ops-routes.js';
import { quietRequestLogs } from './quiet-requests.js';

export async function startOpsServer(
  checks: OpsChecks,
  opts: { host: string; port: number; logger: Logger },
): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = opts.logger.child({ component: 'ops-http' });
  const app: FastifyInstance = Fastify({ loggerInstance, logController: quietRequestLogs() });
  registerOpsRoutes(app, checks);
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
