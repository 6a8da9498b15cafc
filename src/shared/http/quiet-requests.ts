// Per-request log lines would dominate the logs at webhook volume; outcomes are in /metrics instead.
import { LogController } from 'fastify';

export function quietRequestLogs(): LogController {
  return new LogController({ disableRequestLogging: true });
}
