// What a command needs to run: configuration, servers, a place for output; closed afterwards.
import type { AppConfig, InfraNeed } from '../src/shared/config/index.js';
import { cliContext } from './context.js';
import { OpsClients } from '../src/shared/infra.js';

/** Where output goes: results to `out` (stdout), progress and notes to `err` (stderr). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export async function withOps<T>(
  configPath: string | undefined,
  needs: readonly InfraNeed[],
  run: (clients: OpsClients, config: AppConfig) => Promise<T>,
): Promise<T> {
  const ctx = cliContext(configPath, needs);
  const clients = new OpsClients(ctx.infra, ctx.logger);
  try {
    return await run(clients, ctx.config);
  } finally {
    await clients.close();
  }
}

/** Resolves on SIGINT/SIGTERM (for commands that run until stopped). */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
