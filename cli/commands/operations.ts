// The operations command groups: history and recovery (replay, backfill, reconcile, dlq),
// and observing the pipeline (status, events).
import type { Command } from 'commander';
import type { CliSession } from '../session.js';
import { registerHistoryCommands } from './history.js';
import { registerObserveCommands } from './observe.js';
import { registerReplayCommand } from './replay.js';

export function registerOperationCommands(program: Command, session: CliSession): void {
  registerReplayCommand(program, session);
  registerHistoryCommands(program, session);
  registerObserveCommands(program, session);
}
