// The operations command groups: history and recovery (replay, backfill, reconcile, dlq),
// and observing the pipeline (status, events).
import type { Command } from 'commander';
import { registerHistoryCommands } from './history.js';
import { registerObserveCommands } from './observe.js';
import { registerReplayCommand } from './replay.js';

export function registerOperationCommands(program: Command): void {
  registerReplayCommand(program);
  registerHistoryCommands(program);
  registerObserveCommands(program);
}
