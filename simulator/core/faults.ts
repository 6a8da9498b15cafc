// Fault injection for one shop's Admin API: added latency, a share of 5xx answers, dropped
// connections, and "the mutation was applied but the reply was lost". Random shares use a seeded
// PRNG; `failNext` queues deterministic faults for tests.
import { seededRandom, type Random } from './random.js';

export type FaultKind = 'serverError' | 'drop' | 'lostReply';

export interface FaultOptions {
  /** Added to every Admin API request, in ms. */
  latencyMs: number;
  /** Extra random latency, uniformly 0..jitter ms. */
  latencyJitterMs: number;
  /** Share (0..1) of requests answered with `serverErrorStatus` before they run. */
  serverErrorRate: number;
  serverErrorStatus: number;
  /** Share of requests whose connection is destroyed before they run. */
  dropRate: number;
  /** Share of mutations that are applied, after which the connection is destroyed (no reply). */
  lostReplyRate: number;
  /**
   * How far `draftOrders(query:)` search lags behind writes, in ms: a draft created or changed
   * within this window is matched on its previous version (or not found yet).
   */
  searchLagMs: number;
  seed: number;
}

export const NO_FAULTS: FaultOptions = {
  latencyMs: 0,
  latencyJitterMs: 0,
  serverErrorRate: 0,
  serverErrorStatus: 500,
  dropRate: 0,
  lostReplyRate: 0,
  searchLagMs: 0,
  seed: 1,
};

export type OperationMatch = 'any' | 'query' | 'mutation';

export interface QueuedFault {
  kind: FaultKind;
  /** Which requests consume it; a non-matching request passes untouched. */
  match: OperationMatch;
  status?: number;
}

export interface FaultDecision {
  latencyMs: number;
  fault?: { kind: FaultKind; status: number };
}

export class FaultPlan {
  private options: FaultOptions = { ...NO_FAULTS };
  private random: Random = seededRandom(NO_FAULTS.seed);
  private readonly queue: QueuedFault[] = [];

  configure(options: Partial<FaultOptions>): FaultOptions {
    this.options = { ...this.options, ...options };
    if (options.seed !== undefined) this.random = seededRandom(options.seed);
    return { ...this.options };
  }

  reset(): void {
    this.options = { ...NO_FAULTS };
    this.random = seededRandom(NO_FAULTS.seed);
    this.queue.length = 0;
  }

  get current(): FaultOptions {
    return { ...this.options };
  }

  /** The next `count` matching requests fail with `kind`. */
  failNext(kind: FaultKind, count = 1, match: OperationMatch = kind === 'lostReply' ? 'mutation' : 'any', status?: number): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind, match, status });
  }

  pending(): QueuedFault[] {
    return [...this.queue];
  }

  decide(operation: 'query' | 'mutation'): FaultDecision {
    const o = this.options;
    const latencyMs = o.latencyMs + (o.latencyJitterMs > 0 ? this.random() * o.latencyJitterMs : 0);
    const index = this.queue.findIndex((f) => f.match === 'any' || f.match === operation);
    if (index >= 0) {
      const [queued] = this.queue.splice(index, 1);
      if (queued) return { latencyMs, fault: { kind: queued.kind, status: queued.status ?? o.serverErrorStatus } };
    }
    // Draw every time so a seed gives the same sequence whatever the rates are.
    const errorDraw = this.random();
    const dropDraw = this.random();
    const lostDraw = this.random();
    if (errorDraw < o.serverErrorRate) return { latencyMs, fault: { kind: 'serverError', status: o.serverErrorStatus } };
    if (dropDraw < o.dropRate) return { latencyMs, fault: { kind: 'drop', status: 0 } };
    if (operation === 'mutation' && lostDraw < o.lostReplyRate) return { latencyMs, fault: { kind: 'lostReply', status: 0 } };
    return { latencyMs };
  }
}
