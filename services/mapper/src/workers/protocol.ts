// Messages between the consumer's thread and a map worker. Values cross as one transferred
// ArrayBuffer per batch each way: a kafkajs value is a view into its whole fetch response,
// which a structured clone would copy once per value.
import type { LookupResult } from '../../../../src/variant-mappings/index.js';
import type { PackedBuffers } from '../../../../src/shared/registry/wire-format.js';
import type { LastWebhooks } from '../../../../src/map-stage/last-webhook.js';
import type { AppConfig } from '../../../../src/shared/config/index.js';
import type { EncodedBatch, PlanSummary } from '../../../../src/map-stage/map-batch.js';

export type ToWorker =
  | { readonly type: 'plan'; readonly id: number; readonly values: PackedBuffers }
  | { readonly type: 'finish'; readonly id: number; readonly lookup: LookupResult }
  | { readonly type: 'discard'; readonly id: number }
  /** The live settings changed: batches planned from now on are judged by this configuration. */
  | { readonly type: 'config'; readonly id: number; readonly config: AppConfig };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'planned'; readonly id: number; readonly summaries: readonly PlanSummary[]; readonly lastWebhooks: LastWebhooks }
  | { readonly type: 'finished'; readonly id: number; readonly encoded: EncodedBatch }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
