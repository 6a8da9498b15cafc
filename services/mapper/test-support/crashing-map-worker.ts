// A map worker that dies (thread exit) on the first batch it is asked to finish, once per
// marker file: the batch's plans are lost with it, so the mapper must redo the batch.
import { existsSync, writeFileSync } from 'node:fs';
import { BatchPlanner } from '../src/workers/batch-planner.js';

const marker = process.env.CRASHING_MAP_WORKER_MARKER;
if (!marker) throw new Error('CRASHING_MAP_WORKER_MARKER is not set');
const { finish } = Object.getOwnPropertyDescriptors(BatchPlanner.prototype);
const realFinish = finish?.value as (this: BatchPlanner, ...args: Parameters<BatchPlanner['finish']>) => ReturnType<BatchPlanner['finish']>;
BatchPlanner.prototype.finish = function (this: BatchPlanner, ...args: Parameters<BatchPlanner['finish']>) {
  if (!existsSync(marker)) {
    writeFileSync(marker, 'crashed');
    process.exit(3);
  }
  return realFinish.apply(this, args);
};
await import('../src/workers/map-worker.js');
