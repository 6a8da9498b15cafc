// What `explain` asks the stores (one Admin API query each, through the paced client):
// the destination resolves a name to an id (or says whether an id exists), the source says
// whether the copy exists and in which state — by the link's draft id, else by the sync tag.
import type { OriginKind } from '../domain/model.js';
import { retry } from '../shared/retry.js';
import type { AdminGraphql } from '../shopify/admin-client.js';
import { describeFailure, type CallResult } from '../shopify/call-result.js';
import type { DestinationFact, SourceCopyFact } from './explain-facts.js';

/**
 * Draft names are matched as free text: `name` is not among draftOrders' documented search
 * fields, and Shopify ignores an unknown field (returning every draft). Free text also matches
 * longer names (#D10420 for #D1042), so the exact name is picked from a few, lowest number first.
 */
export const DESTINATION_DRAFT_BY_NAME = `#graphql
query ExplainDraftByName($query: String!) {
  draftOrders(first: 10, query: $query, sortKey: NUMBER) {
    nodes { id legacyResourceId name status updatedAt }
  }
}`;

/** `name` is a documented orders search field. */
export const DESTINATION_ORDER_BY_NAME = `#graphql
query ExplainOrderByName($query: String!) {
  orders(first: 5, query: $query, sortKey: ORDER_NUMBER) {
    nodes { id legacyResourceId name updatedAt }
  }
}`;

export const DESTINATION_DRAFT_BY_ID = `#graphql
query ExplainDraftById($id: ID!) {
  draftOrder(id: $id) { id legacyResourceId name status updatedAt }
}`;

export const DESTINATION_ORDER_BY_ID = `#graphql
query ExplainOrderById($id: ID!) {
  order(id: $id) { id legacyResourceId name updatedAt }
}`;

export const SOURCE_DRAFT_BY_ID = `#graphql
query ExplainSourceDraft($id: ID!) {
  draftOrder(id: $id) { id name status updatedAt tags }
}`;

export const SOURCE_DRAFTS_BY_TAG = `#graphql
query ExplainSourceDraftsByTag($query: String!) {
  draftOrders(first: 5, query: $query, sortKey: UPDATED_AT, reverse: true) {
    nodes { id name status updatedAt tags }
  }
}`;

interface DestinationNode {
  readonly id: string;
  readonly legacyResourceId: string;
  readonly name: string;
  readonly status?: string;
  readonly updatedAt: string;
}

interface SourceNode {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly updatedAt: string;
  readonly tags: readonly string[];
}

type Nodes<T> = { readonly nodes: readonly T[] };

/** Shopify's search syntax for one quoted value. */
export function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function gidOf(kind: OriginKind, id: string): string {
  return `gid://shopify/${kind === 'order' ? 'Order' : 'DraftOrder'}/${id}`;
}

/** The destination record with that exact name, or null. */
export async function findByName(client: AdminGraphql, kind: OriginKind, name: string): Promise<DestinationFact> {
  const nodes =
    kind === 'order'
      ? (await read<{ orders: Nodes<DestinationNode> }>(client, 'ExplainOrderByName', DESTINATION_ORDER_BY_NAME, { query: `name:${quoted(name)}` })).orders.nodes
      : (await read<{ draftOrders: Nodes<DestinationNode> }>(client, 'ExplainDraftByName', DESTINATION_DRAFT_BY_NAME, { query: quoted(name) })).draftOrders.nodes;
  const node = nodes.find((n) => n.name.toLowerCase() === name.toLowerCase());
  return node ? destinationFact(node) : { state: 'missing' };
}

export async function findById(client: AdminGraphql, kind: OriginKind, id: string): Promise<DestinationFact> {
  const node =
    kind === 'order'
      ? (await read<{ order: DestinationNode | null }>(client, 'ExplainOrderById', DESTINATION_ORDER_BY_ID, { id: gidOf(kind, id) })).order
      : (await read<{ draftOrder: DestinationNode | null }>(client, 'ExplainDraftById', DESTINATION_DRAFT_BY_ID, { id: gidOf(kind, id) })).draftOrder;
  return node ? destinationFact(node) : { state: 'missing' };
}

function destinationFact(node: DestinationNode): DestinationFact {
  return { state: 'found', id: String(node.legacyResourceId), name: node.name, updatedAt: node.updatedAt, status: node.status ?? null };
}

/** The source copy: by the link's draft id when there is one, else by the sync tag. Never throws. */
export async function findSourceCopy(client: AdminGraphql, by: { readonly id: string } | { readonly tag: string }): Promise<SourceCopyFact> {
  try {
    if ('id' in by) {
      const { draftOrder } = await read<{ draftOrder: SourceNode | null }>(client, 'ExplainSourceDraft', SOURCE_DRAFT_BY_ID, { id: by.id });
      return draftOrder ? found(draftOrder, 'id') : { state: 'missing', lookedUpBy: 'id' };
    }
    const { draftOrders } = await read<{ draftOrders: Nodes<SourceNode> }>(client, 'ExplainSourceDraftsByTag', SOURCE_DRAFTS_BY_TAG, { query: `tag:${quoted(by.tag)}` });
    // Search is fuzzy on Shopify's side: only the exact tag counts.
    const node = draftOrders.nodes.find((n) => n.tags.includes(by.tag));
    return node ? found(node, 'tag') : { state: 'missing', lookedUpBy: 'tag' };
  } catch (error) {
    return { state: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}

function found(node: SourceNode, lookedUpBy: 'id' | 'tag'): SourceCopyFact {
  return { state: 'found', lookedUpBy, id: node.id, name: node.name, status: node.status, updatedAt: node.updatedAt };
}

class TransientRead extends Error {}

/** One read; transient failures and THROTTLED (past the pacer's own waits) are tried again. */
async function read<T>(client: AdminGraphql, operation: string, document: string, variables: Record<string, unknown>): Promise<T> {
  const result = await retry(
    async () => {
      const r: CallResult<T> = await client.call<T>(operation, document, variables);
      if (r.kind === 'transient' || r.kind === 'throttled') throw new TransientRead(`${client.shop}: ${describeFailure(r)}`);
      return r;
    },
    { attempts: 4, baseDelayMs: 250, maxDelayMs: 2000, retryIf: (e) => e instanceof TransientRead },
  );
  if (result.kind !== 'ok') throw new Error(`${client.shop}: ${operation}: ${describeFailure(result)}`);
  return result.data;
}
