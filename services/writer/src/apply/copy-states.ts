// The copies' current state (updatedAt, tags) for source-edit detection, read without a query
// per update: the updates starting within a few milliseconds ask together, in one
// `nodes(ids:)` query per source store. Never cached: each update needs the state of now.
import DataLoader from 'dataloader';
import type { CallResult } from '../../../../src/shopify/call-result.js';
import type { SourceDraftNode } from '../shopify/operations.js';
import type { SourceStore } from '../shopify/source-store.js';

export type CopyState = CallResult<SourceDraftNode | null>;

export interface CopyStatesOptions {
  readonly storeFor: (shop: string) => SourceStore | undefined;
  /** How long the first request waits for others to join its query (default 5 ms). */
  readonly windowMs?: number;
  /** Copies per query (default 100; `nodes` takes up to 250). */
  readonly maxBatch?: number;
}

export class CopyStates {
  private readonly loaders = new Map<string, DataLoader<string, CopyState>>();

  constructor(private readonly options: CopyStatesOptions) {}

  /** The copy as the source store has it now; `data: null` when it no longer exists. */
  get(shop: string, id: string): Promise<CopyState> {
    return this.loaderFor(shop).load(id);
  }

  private loaderFor(shop: string): DataLoader<string, CopyState> {
    let loader = this.loaders.get(shop);
    if (!loader) {
      const windowMs = this.options.windowMs ?? 5;
      loader = new DataLoader<string, CopyState>((ids) => this.read(shop, ids), {
        cache: false,
        maxBatchSize: this.options.maxBatch ?? 100,
        batchScheduleFn: (run) => setTimeout(run, windowMs),
      });
      this.loaders.set(shop, loader);
    }
    return loader;
  }

  private async read(shop: string, ids: readonly string[]): Promise<CopyState[]> {
    const store = this.options.storeFor(shop);
    if (!store) return ids.map(() => ({ kind: 'permanent', reason: `source shop ${shop} is not configured`, status: null }));
    const result = await store.getDrafts(ids);
    if (result.kind !== 'ok') return ids.map(() => result);
    return ids.map((id) => ({ kind: 'ok', data: result.data.get(id) ?? null, cost: result.cost }));
  }
}
