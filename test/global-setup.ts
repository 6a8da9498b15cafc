// Integration tests get real Kafka, a real schema registry and real Redis: from env vars,
// from a running `npm run stack -- up`, from Docker, or started here and stopped afterwards.
import { ensureStack, type RunningStack } from '../stack/stack.js';

let stack: RunningStack | undefined;

export async function setup(): Promise<void> {
  stack = await ensureStack((msg) => process.stderr.write(`[stack] ${msg}\n`));
  // Test workers start after this and inherit the environment.
  Object.assign(process.env, stack.env);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}
