// What commands need, loaded only when a command runs: configuration, infrastructure, a logger.
import { loadConfig, loadInfraSettings, type AppConfig, type InfraNeed, type InfraSettings } from '../src/shared/config/index.js';
import { createLogger, type Logger } from '../src/shared/log.js';
import { recordedEnv } from '../stack/stack.js';

export interface CliContext {
  readonly config: AppConfig;
  readonly infra: InfraSettings;
  readonly logger: Logger;
}

/** Config from --config or DOS_CONFIG; infrastructure from env, else what `npm run stack -- up` recorded. */
export function cliContext(configPath: string | undefined, needs: readonly InfraNeed[]): CliContext {
  const env = { ...recordedEnv(), ...process.env };
  return {
    config: loadConfig(configPath, env),
    infra: loadInfraSettings(env, needs),
    logger: createLogger('draft-sync', process.env.LOG_LEVEL ?? 'warn'),
  };
}
