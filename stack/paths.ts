// Where the stack keeps downloads (kept between runs) and run state (one per `up`).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Downloaded Maven artifacts, unpacked: survives `down`, so later starts are offline. */
export const cacheDir = process.env.STACK_CACHE_DIR ?? path.join(projectRoot, '.cache', 'stack');
/** What `stack up` records for later commands: the env file and the started processes. */
export const stateDir = process.env.STACK_STATE_DIR ?? path.join(projectRoot, '.stack');
export const envFile = path.join(stateDir, 'env');
export const stateFile = path.join(stateDir, 'state.json');
/** Servers other commands start for themselves (a chaos run's cluster), one record per run. */
export const runsDir = path.join(stateDir, 'runs');
export const mavenDir = path.join(projectRoot, 'stack', 'maven');
