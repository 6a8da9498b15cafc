// Reading service settings from the environment.
import type { Env } from './config/index.js';

/** A number from the environment, or undefined when unset (the service's default applies). */
export function optionalNumber(env: Env, name: string): number | undefined {
  const value = env[name];
  return value ? Number(value) : undefined;
}
