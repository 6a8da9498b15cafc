// A small fastify server for services whose only HTTP surface is the ops routes (mapper, writer).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log.js';
import { registerOpsRoutes, type OpsChecks } from './ops-routes.js';
import { quietRequestLogs } from './quiet-requests.js';

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface OpsServerOptions {
  readonly host?: string;
  /** undefined: no server at all; 0: any free port. */
  readonly port: number | undefined;
  readonly logger: Logger;
}

export async function startOpsServer(checks: OpsChecks, opts: OpsServerOptions): Promise<OpsServer | null> {
  if (opts.port === undefined) return null;
  const loggerInstance: FastifyBaseLogger = opts.logger.child({ component: 'ops-http' });
  const app: FastifyInstance = Fastify({ loggerInstance, logController: quietRequestLogs() });
  registerOpsRoutes(app, checks);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port });
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : opts.port;
  return { url: `http://${host}:${port}`, close: () => app.close() };
}
