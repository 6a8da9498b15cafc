// A service as a separate process (node --import tsx services/<name>/src/main.ts), for crash tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../stack/paths.js';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildService {
  readonly child: ChildProcess;
  /** Everything the process wrote (JSON log lines), for diagnostics. */
  output(): string;
  readonly exited: Promise<ChildExit>;
  /** Sends the signal (if still running) and waits for the exit. */
  stop(signal: NodeJS.Signals): Promise<ChildExit>;
}

export function spawnService(service: 'ingest' | 'mapper' | 'writer' | 'status', env: Record<string, string>): ChildService {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${service}/src/main.ts`], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
