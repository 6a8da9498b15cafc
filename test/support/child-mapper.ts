// The mapper as a separate process, for crash tests.
import { spawnService, type ChildService } from './child-service.js';

export type ChildMapper = ChildService;

export function spawnMapper(env: Record<string, string>): ChildMapper {
  return spawnService('mapper', env);
}
