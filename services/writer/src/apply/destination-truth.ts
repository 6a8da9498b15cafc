// Ties: two versions of one origin within one second carry the same `updated_at`, so the
// version cannot say which is newer. The writer then asks the destination store for the record
// as it is now (one query) and maps it the way the mapper does: the copy ends equal to the
// destination whatever order the deliveries came in.
import type { ConnectionSettings } from '../../../../src/domain/connection.js';
import { mapDraft } from '../../../../src/domain/map-draft.js';
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import { DRAFT_ORDER_FIELDS, normalizeGraphqlDraft, normalizeGraphqlOrder, ORDER_FIELDS } from '../../../../src/domain/normalize-graphql.js';
import type { AdminGraphql } from '../../../../src/shopify/admin-client.js';
import { describeFailure } from '../../../../src/shopify/call-result.js';
import type { RedisMappingStore } from '../../../../src/variant-mappings/index.js';

const DRAFT_BY_ID = `#graphql
query DestinationDraft($id: ID!) { draftOrder(id: $id) { ${DRAFT_ORDER_FIELDS} } }`;
const ORDER_BY_ID = `#graphql
query DestinationOrder($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

export type Truth =
  /** The destination's current state, mapped (an UPSERT, or a SKIP the connection decides). */
  | { readonly kind: 'mapped'; readonly record: MappedDraftOrder }
  /** The destination no longer has it: its delete webhook settles the copy. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'failed'; readonly reason: string };

export interface DestinationTruth {
  read(record: MappedDraftOrder, signal?: AbortSignal): Promise<Truth>;
}

export interface DestinationTruthDeps {
  /** A paced client of the destination store; undefined when the shop is not configured. */
  readonly clientFor: (shop: string) => AdminGraphql | undefined;
  readonly connectionFor: (id: string) => ConnectionSettings | undefined;
  readonly mappings: Pick<RedisMappingStore, 'lookupMany'>;
}

export function destinationTruth(deps: DestinationTruthDeps): DestinationTruth {
  return {
    async read(record, signal) {
      const { shop, kind, id } = record.origin;
      const client = deps.clientFor(shop);
      const connection = deps.connectionFor(record.connectionId);
      if (!client || !connection) return { kind: 'failed', reason: `destination ${shop} or connection ${record.connectionId} is not configured` };
      const gid = `gid://shopify/${kind === 'order' ? 'Order' : 'DraftOrder'}/${id}`;
      type Reply = { readonly draftOrder?: unknown; readonly order?: unknown };
      const result = await client.call<Reply>(kind === 'order' ? 'DestinationOrder' : 'DestinationDraft', kind === 'order' ? ORDER_BY_ID : DRAFT_BY_ID, { id: gid }, { signal });
      if (result.kind !== 'ok') return { kind: 'failed', reason: `reading the destination's ${kind}: ${describeFailure(result)}` };
      const node = kind === 'order' ? result.data.order : result.data.draftOrder;
      if (node === null || node === undefined) return { kind: 'gone' };
      const canonical = kind === 'order' ? normalizeGraphqlOrder(node, shop) : normalizeGraphqlDraft(node, shop);
      if (!canonical.ok) return { kind: 'failed', reason: `the destination's ${kind}: ${canonical.reason}` };
      const variantIds = canonical.value.lines.flatMap((line) => (line.variantId === null ? [] : [line.variantId]));
      const lookup = await deps.mappings.lookupMany([{ connectionId: connection.id, variantIds }]);
      const ctx = {
        recordSource: record.recordSource,
        rawId: record.rawId,
        force: record.force,
        envelopeTime: { version: record.version, clock: 'RECEIVED_AT' as const },
      };
      return { kind: 'mapped', record: mapDraft(canonical.value, connection, lookup.get(connection.id) ?? new Map(), ctx) };
    },
  };
}
