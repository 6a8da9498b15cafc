// The command groups of draft-sync; add a group by registering it here.
import type { Command } from 'commander';
import { registerMappingCommands } from './mappings.js';
import { registerOperationCommands } from './operations.js';

export function registerCommandGroups(program: Command): void {
  registerMappingCommands(program);
  registerOperationCommands(program);
}
