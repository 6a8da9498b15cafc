// Start-up configuration errors. Messages name the field and the problem, never a secret.

import { DosError } from '../errors.js';

export class ConfigError extends DosError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('CONFIG_INVALID', problems.map((problem) => `config: ${problem}`).join('\n'));
    this.problems = problems;
  }
}
