// What a command needs to run: its environment, configuration, servers (the bootstrap), a place
// for output; closed afterwards. The entry point (draft-sync.ts) makes the one session.
import { loadConfig, loadSettings, type AppConfig, type Env, type InfraNeed, type Settings } from '../src/shared/config/index.js';
import { Infra } from '../src/shared/infra.js';
import { readLiveConfig } from '../src/live-settings/index.js';
import { createLogger, type Logger } from '../src/shared/log.js';

/** Where output goes: results to `out` (stdout), progress and notes to `err` (stderr). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export interface CommandContext {
  readonly config: AppConfig;
  readonly settings: Settings;
  readonly logger: Logger;
}

export class CliSession {
  /** `env`: the process environment over what `npm run stack -- up` recorded. */
  constructor(
    readonly env: Env,
    readonly io: Io = stdio,
  ) {}

  /** Config from --config or DOS_CONFIG; every other setting from the environment. */
  context(configPath: string | undefined, needs: readonly InfraNeed[]): CommandContext {
    const settings = loadSettings(this.env, needs);
    return {
      settings,
      config: loadConfig(configPath ?? settings.configPath, this.env),
      logger: createLogger('draft-sync', settings.logLevel ?? 'warn'),
    };
  }

  /**
   * With Kafka and the registry at hand, connections carry their live settings (what the
   * services judge by) unless `liveSettings` is false (the settings commands want the file).
   */
  async withOps<T>(
    configPath: string | undefined,
    needs: readonly InfraNeed[],
    run: (infra: Infra, config: AppConfig) => Promise<T>,
    { liveSettings = true }: { readonly liveSettings?: boolean } = {},
  ): Promise<T> {
    const { settings, config, logger } = this.context(configPath, needs);
    const infra = new Infra({ settings: settings.infra, names: settings.names, clientId: 'draft-sync-cli', logger });
    try {
      const live = liveSettings && needs.includes('kafka') && needs.includes('schemaRegistry') ? await readLiveConfig(infra, config, logger) : config;
      return await run(infra, live);
    } finally {
      await infra.close();
    }
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
