// The command groups of draft-sync; add a group by registering it here.
import type { Command } from 'commander';
import type { CliSession } from '../session.js';
import { registerExplainCommand } from './explain.js';
import { registerMappingCommands } from './mappings.js';
import { registerOperationCommands } from './operations.js';
import { registerSettingsCommands } from './settings.js';
import { registerStoreCommands } from './stores.js';

export function registerCommandGroups(program: Command, session: CliSession): void {
  registerMappingCommands(program, session);
  registerOperationCommands(program, session);
  registerStoreCommands(program, session);
  registerExplainCommand(program, session);
  registerSettingsCommands(program, session);
}
