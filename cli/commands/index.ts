// The command groups of draft-sync; add a group by registering it here.
import type { Command } from 'commander';

export function registerCommandGroups(program: Command): void {
  void program;
}
