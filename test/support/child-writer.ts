// The writer as a separate process, for crash tests.
import { spawnService, type ChildService } from './child-service.js';

export type { ChildExit } from './child-service.js';
export type ChildWriter = ChildService;

export function spawnWriter(env: Record<string, string>): ChildWriter {
  return spawnService('writer', env);
}
