// Start-up configuration errors. Messages name the field and the problem, never a secret.

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.map((problem) => `config: ${problem}`).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
