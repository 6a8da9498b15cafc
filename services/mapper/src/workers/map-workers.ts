// The consumer's side of the map workers: parsing, validating, mapping and encoding a batch
// take most of the mapper's CPU, so they run on worker threads while this thread keeps
// kafkajs, Redis and the transactions. A batch stays on one worker for both of its steps
// (its plans wait there); a worker that dies fails its batches (they are redone) and is
// replaced on the next batch.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LookupResult } from '../../../../src/variant-mappings/index.js';
import type { AppConfig } from '../../../../src/shared/config/index.js';
import type { Logger } from '../../../../src/shared/log.js';
import { packBuffers } from '../../../../src/shared/registry/wire-format.js';
import type { LastWebhooks } from '../../../../src/map-stage/last-webhook.js';
import type { EncodedBatch, PlanSummary } from '../../../../src/map-stage/map-batch.js';
import type { PlannerSetup } from './batch-planner.js';
import type { FromWorker, ToWorker } from './protocol.js';

/**
 * One worker per core. The consumer's thread needs ~40 % of a core (kafkajs, Redis), and a
 * batch's plan → lookup → finish leaves a lone worker idle between its steps: on 2 cores, two
 * workers drain ~25 % more than one (bench:mapper), three or four no more.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

export interface PlannedBatch {
  readonly summaries: readonly PlanSummary[];
  /** Per shop the newest webhook of the batch. */
  readonly lastWebhooks: LastWebhooks;
  /** Maps and encodes the planned records with the batch's lookup. */
  finish(lookup: LookupResult): Promise<EncodedBatch>;
  /** Drops the plans when the batch is abandoned before finish. */
  discard(): void;
}

/** map-worker.ts under tsx/vitest, map-worker.js in a build. */
export const MAP_WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './map-worker.ts' : './map-worker.js', import.meta.url);

type Reply = Exclude<FromWorker, { type: 'ready' }>;

class MapWorker {
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private exited: Error | null = null;
  readonly ready: Promise<void>;

  constructor(
    private readonly worker: Worker,
    logger: Logger,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (message: FromWorker) => (message.type === 'ready' ? resolve() : reject(new Error(`map worker: unexpected ${message.type}`))));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`map worker exited with code ${code} while starting`)));
    });
    // Only start() awaits it; a replacement that fails to start fails its batches instead.
    this.ready.catch(() => undefined);
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.type === 'failed') waiter.reject(new Error(message.message));
      else waiter.resolve(message);
    });
    worker.on('error', (error) => logger.error({ err: error }, 'map worker failed; its batches are redone'));
    worker.on('exit', (code) => {
      this.exited = new Error(`map worker exited (code ${code})`);
      for (const waiter of this.pending.values()) waiter.reject(this.exited);
      this.pending.clear();
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  get load(): number {
    return this.pending.size;
  }

  request(message: ToWorker, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  send(message: ToWorker): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

export interface MapWorkersOptions {
  readonly count: number;
  readonly logger: Logger;
  /** Called when a dead worker is replaced. */
  readonly onReplaced?: () => void;
  /** The worker script; a test injects one that crashes. */
  readonly entry?: URL;
}

export class MapWorkers {
  private readonly workers: MapWorker[] = [];
  private nextId = 1;

  private constructor(
    private setup: PlannerSetup,
    private readonly opts: MapWorkersOptions,
  ) {}

  /** Starts the workers and waits until each has loaded its code. */
  static async start(setup: PlannerSetup, opts: MapWorkersOptions): Promise<MapWorkers> {
    const pool = new MapWorkers(setup, opts);
    try {
      for (let i = 0; i < opts.count; i++) pool.workers.push(pool.spawn());
      await Promise.all(pool.workers.map((w) => w.ready));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Requests in flight per worker. */
  loads(): number[] {
    return this.workers.map((w) => w.load);
  }

  async plan(values: readonly (Buffer | null)[]): Promise<PlannedBatch> {
    // Picked and asked without an await in between: batches handed over in the same tick
    // must see each other's load, or they all land on the first worker.
    const worker = this.leastLoaded();
    const id = this.nextId++;
    const packed = packBuffers(values);
    const reply = await worker.request({ type: 'plan', id, values: packed }, [packed.data]);
    if (reply.type !== 'planned') throw new Error(`map worker: expected planned, got ${reply.type}`);
    return {
      summaries: reply.summaries,
      lastWebhooks: reply.lastWebhooks,
      finish: async (lookup) => {
        const done = await worker.request({ type: 'finish', id, lookup });
        if (done.type !== 'finished') throw new Error(`map worker: expected finished, got ${done.type}`);
        return done.encoded;
      },
      discard: () => worker.send({ type: 'discard', id }),
    };
  }

  /**
   * The configuration in force changed (live settings): every worker gets it before any batch
   * handed over after this call (a worker handles its messages in order), a replacement starts
   * with it.
   */
  useConfig(config: AppConfig): void {
    this.setup = { ...this.setup, config };
    for (const worker of this.workers) worker.send({ type: 'config', id: 0, config });
  }

  async close(): Promise<void> {
    const all = this.workers.splice(0);
    await Promise.all(all.map((w) => w.terminate()));
  }

  private spawn(): MapWorker {
    const entry = this.opts.entry ?? MAP_WORKER_ENTRY;
    const worker = entry.pathname.endsWith('.ts')
      ? // Worker threads do not inherit tsx's loader (Node 20): register it, then load the entry.
        new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`, {
          eval: true,
          workerData: this.setup,
        })
      : new Worker(entry, { workerData: this.setup });
    // Never what keeps a process alive: stop() closes them, a failed start-up must not hang.
    worker.unref();
    return new MapWorker(worker, this.opts.logger);
  }

  /** A dead worker is replaced here (a replacement that cannot start fails the batches sent to it). */
  private leastLoaded(): MapWorker {
    for (let i = 0; i < this.workers.length; i++) {
      if (this.workers[i]!.alive) continue;
      this.workers[i] = this.spawn();
      this.opts.onReplaced?.();
    }
    return this.workers.reduce((best, w) => (w.load < best.load ? w : best));
  }
}
