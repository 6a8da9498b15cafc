// What a saved change asks the operator to do next. Settings judge records as they are
// processed; some changes also need something outside the pipeline:
// - sync switched back on: what the mapper skipped while it was off stays skipped until fed
//   again, so a backfill from the moment it was switched off;
// - the order trigger switched on: orders arrive only with the ORDERS_CREATE webhook (and the
//   read_orders scope), which `stores connect` subscribes;
// - products matched another way: the mappings were built the old way, so a rebuild.
import type { FieldChange } from './fields.js';
import type { HistoryEntry } from './history.js';

export interface FollowUp {
  readonly kind: 'backfill' | 'subscribe' | 'rebuild-mappings';
  readonly why: string;
  readonly command: string;
}

export function followUps(connection: { readonly id: string; readonly destinationShop: string }, changes: readonly FieldChange[], history: readonly HistoryEntry[]): FollowUp[] {
  const changed = (field: FieldChange['field'], to?: unknown): boolean => changes.some((c) => c.field === field && (to === undefined || c.to === to));
  const steps: FollowUp[] = [];
  if (changed('draftOrderSync', true)) {
    let off: string | null = null;
    for (const h of history) if (h.field === 'draftOrderSync' && h.to === 'no' && (off === null || h.at > off)) off = h.at;
    steps.push({
      kind: 'backfill',
      why: 'Sync was off: bring over the drafts changed meanwhile with',
      command: `npm run draft-sync -- backfill --shop ${connection.destinationShop}${off ? ` --since ${off}` : ''}`,
    });
  }
  if (changed('orderTrigger', true)) {
    steps.push({ kind: 'subscribe', why: 'Orders arrive only with the ORDERS_CREATE webhook and the read_orders scope: subscribe and check with', command: 'npm run draft-sync -- stores connect && npm run draft-sync -- stores check' });
  }
  if (changed('variantMatch')) {
    steps.push({ kind: 'rebuild-mappings', why: 'Products are matched another way now: rebuild the mappings with', command: `npm run draft-sync -- mappings build --connection ${connection.id}` });
  }
  return steps;
}
