// A map worker's entry point: a BatchPlanner answering the consumer's thread (see protocol.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { unpackBuffers } from '../../../../src/shared/registry/wire-format.js';
import { BatchPlanner, type PlannerSetup } from './batch-planner.js';
import type { FromWorker, ToWorker } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('map-worker runs as a worker thread');
const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

const planner = BatchPlanner.create(workerData as PlannerSetup);
port.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) => post({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) }));
});
post({ type: 'ready' });

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'plan':
      post({ type: 'planned', id: message.id, ...(await planner.plan(message.id, unpackBuffers(message.values))) });
      return;
    case 'finish': {
      const encoded = planner.finish(message.id, message.lookup);
      post({ type: 'finished', id: message.id, encoded }, [encoded.values.data]);
      return;
    }
    case 'discard':
      planner.discard(message.id);
      return;
    case 'config':
      planner.useConfig(message.config);
      return;
  }
}
