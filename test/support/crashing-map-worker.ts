// A map worker that dies (thread exit) on the first batch it is asked to finish, once per
// marker file: the batch's plans are lost with it, so the mapper must redo the batch.
// Creating the marker is the right to die: exclusive, so of several workers only one does.
import { writeFileSync } from 'node:fs';
import { BatchPlanner } from '../../services/mapper/src/workers/batch-planner.js';

const marker = process.env.CRASHING_MAP_WORKER_MARKER;
if (!marker) throw new Error('CRASHING_MAP_WORKER_MARKER is not set');
const { finish } = Object.getOwnPropertyDescriptors(BatchPlanner.prototype);
const realFinish = finish?.value as (this: BatchPlanner, ...args: Parameters<BatchPlanner['finish']>) => ReturnType<BatchPlanner['finish']>;
BatchPlanner.prototype.finish = function (this: BatchPlanner, ...args: Parameters<BatchPlanner['finish']>) {
  if (claimCrash(marker)) process.exit(3);
  return realFinish.apply(this, args);
};

function claimCrash(path: string): boolean {
  try {
    writeFileSync(path, 'crashed', { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

await import('../../services/mapper/src/workers/map-worker.js');
