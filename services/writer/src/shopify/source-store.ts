// Typed draft-order operations on a source store. Payload userErrors become a
// `user-errors` result; everything else is passed through from the paced client.
import type { AdminGraphql, CallOptions } from '../../../../src/shopify/admin-client.js';
import type { CallResult } from '../../../../src/shopify/call-result.js';
import type { DraftOrderInput } from './draft-input.js';
import {
  CUSTOMER_BY_EMAIL,
  DRAFT_ORDER_CREATE,
  DRAFT_ORDER_DELETE,
  DRAFT_ORDER_GET,
  DRAFT_ORDER_INVOICE_SEND,
  DRAFT_ORDER_UPDATE,
  DRAFT_ORDERS_BY_ID,
  DRAFT_ORDERS_BY_TAG,
  SHOP_ACCESS,
  tagQuery,
  type CustomerByEmailData,
  type DraftOrderCreateData,
  type DraftOrderDeleteData,
  type DraftOrderGetData,
  type DraftOrderInvoiceSendData,
  type DraftOrdersByIdData,
  type DraftOrdersByTagData,
  type DraftOrderUpdateData,
  type DraftPayload,
  type ShopAccessData,
  type SourceDraftNode,
  type UserError,
} from './operations.js';

export class SourceStore {
  constructor(
    private readonly api: AdminGraphql,
    private readonly options: CallOptions = {},
  ) {}

  get shop(): string {
    return this.api.shop;
  }

  /**
   * The same store for one apply: its signal ends pacing waits, and `beforeSend` runs right
   * before each mutation goes out (queries change nothing and skip it).
   */
  bound(options: CallOptions): SourceStore {
    return new SourceStore(this.api, options);
  }

  private get mutation(): CallOptions {
    return this.options;
  }

  private get query(): CallOptions {
    return { signal: this.options.signal };
  }

  async createDraft(input: DraftOrderInput): Promise<CallResult<SourceDraftNode>> {
    const result = await this.api.call<DraftOrderCreateData>('DraftOrderCreate', DRAFT_ORDER_CREATE, { input }, this.mutation);
    return draftPayload(result, (data) => data.draftOrderCreate);
  }

  async updateDraft(id: string, input: Partial<DraftOrderInput>): Promise<CallResult<SourceDraftNode>> {
    const result = await this.api.call<DraftOrderUpdateData>('DraftOrderUpdate', DRAFT_ORDER_UPDATE, { id, input }, this.mutation);
    return draftPayload(result, (data) => data.draftOrderUpdate);
  }

  async deleteDraft(id: string): Promise<CallResult<{ readonly deletedId: string | null }>> {
    const result = await this.api.call<DraftOrderDeleteData>('DraftOrderDelete', DRAFT_ORDER_DELETE, { input: { id } }, this.mutation);
    if (result.kind !== 'ok') return result;
    const payload = result.data.draftOrderDelete;
    if (!payload) return { kind: 'permanent', reason: 'draftOrderDelete returned no payload', status: null };
    if (payload.userErrors.length > 0) return { kind: 'user-errors', userErrors: payload.userErrors, cost: result.cost };
    return { kind: 'ok', data: { deletedId: payload.deletedId }, cost: result.cost };
  }

  /** Sends the invoice to `to` explicitly: the draft's own email may be empty when a customer has one. */
  async sendInvoice(id: string, to: string): Promise<CallResult<SourceDraftNode>> {
    const result = await this.api.call<DraftOrderInvoiceSendData>('DraftOrderInvoiceSend', DRAFT_ORDER_INVOICE_SEND, { id, email: { to } }, this.mutation);
    return draftPayload(result, (data) => data.draftOrderInvoiceSend);
  }

  /** `data: null` when no draft has that id (deleted by someone, purged). */
  async getDraft(id: string): Promise<CallResult<SourceDraftNode | null>> {
    const result = await this.api.call<DraftOrderGetData>('DraftOrderGet', DRAFT_ORDER_GET, { id }, this.query);
    if (result.kind !== 'ok') return result;
    return { kind: 'ok', data: result.data.draftOrder, cost: result.cost };
  }

  /** Several drafts by id in one query; a missing one maps to null. */
  async getDrafts(ids: readonly string[]): Promise<CallResult<ReadonlyMap<string, SourceDraftNode | null>>> {
    const result = await this.api.call<DraftOrdersByIdData>('DraftOrdersById', DRAFT_ORDERS_BY_ID, { ids }, this.query);
    if (result.kind !== 'ok') return result;
    const out = new Map<string, SourceDraftNode | null>(ids.map((id) => [id, null]));
    for (const node of result.data.nodes) if (node?.id !== undefined && out.has(node.id)) out.set(node.id, node as SourceDraftNode);
    return { kind: 'ok', data: out, cost: result.cost };
  }

  async findDraftsByTag(tag: string): Promise<CallResult<readonly SourceDraftNode[]>> {
    const result = await this.api.call<DraftOrdersByTagData>('DraftOrdersByTag', DRAFT_ORDERS_BY_TAG, { query: tagQuery(tag) }, this.query);
    if (result.kind !== 'ok') return result;
    // Search is fuzzy on Shopify's side; only exact tag matches count.
    return { kind: 'ok', data: result.data.draftOrders.nodes.filter((node) => node.tags.includes(tag)), cost: result.cost };
  }

  /** The shop's name: a start-up check that the store answers and accepts the token. */
  async checkAccess(): Promise<CallResult<string>> {
    const result = await this.api.call<ShopAccessData>('ShopAccess', SHOP_ACCESS, {}, this.query);
    if (result.kind !== 'ok') return result;
    return { kind: 'ok', data: result.data.shop.name, cost: result.cost };
  }

  /** The source store's customer id for an email, or null when it has none. */
  async findCustomerIdByEmail(email: string): Promise<CallResult<string | null>> {
    const result = await this.api.call<CustomerByEmailData>('CustomerByEmail', CUSTOMER_BY_EMAIL, { email }, this.query);
    if (result.kind !== 'ok') return result;
    return { kind: 'ok', data: result.data.customerByIdentifier?.id ?? null, cost: result.cost };
  }
}

function draftPayload<T>(result: CallResult<T>, pick: (data: T) => DraftPayload | null): CallResult<SourceDraftNode> {
  if (result.kind !== 'ok') return result;
  const payload = pick(result.data);
  if (!payload) return { kind: 'permanent', reason: 'mutation returned no payload', status: null };
  if (payload.userErrors.length > 0) return { kind: 'user-errors', userErrors: payload.userErrors, cost: result.cost };
  if (!payload.draftOrder) return { kind: 'permanent', reason: 'mutation returned no draft order', status: null };
  return { kind: 'ok', data: payload.draftOrder, cost: result.cost };
}

/**
 * The draft itself is gone. Shopify has no error codes on these payloads, so this reads the
 * message, and only messages about the draft (field `id`, or naming the draft order): a
 * "Customer does not exist" must not be mistaken for a vanished draft.
 */
export function isNotFound(errors: readonly UserError[]): boolean {
  const missing = /not (be )?found|does not exist|doesn't exist|no longer exists/i;
  return errors.some((e) => missing.test(e.message) && (/draft ?order/i.test(e.message) || (e.field?.length === 1 && e.field[0] === 'id')));
}

/** The customer we linked is unknown to the store (deleted or merged since we cached it). */
export function isCustomerMissing(errors: readonly UserError[]): boolean {
  return errors.some((e) => /customer/i.test(e.message) && /not (be )?found|does not exist|doesn't exist/i.test(e.message));
}

/** userErrors that mean the draft is completed (terminal) and refuses changes. */
export function isCompletedRefusal(errors: readonly UserError[]): boolean {
  return errors.some((e) => /complet/i.test(e.message));
}
