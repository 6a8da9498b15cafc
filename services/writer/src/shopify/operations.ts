// Every GraphQL document the writer sends to a source store, and the shapes of their
// `data`. One module so a single test can validate all of them against the Admin schema.
import type { UserError } from '../../../../src/shopify/call-result.js';

/** Fields we read back from a source draft after any write or lookup. */
const DRAFT_FIELDS = `
  id
  name
  status
  tags
  updatedAt
  email
  invoiceSentAt
  customer { id email }
`;

const USER_ERRORS = `userErrors { field message }`;

export const DRAFT_ORDER_CREATE = `#graphql
mutation DraftOrderCreate($input: DraftOrderInput!) {
  draftOrderCreate(input: $input) {
    draftOrder { ${DRAFT_FIELDS} }
    ${USER_ERRORS}
  }
}`;

export const DRAFT_ORDER_UPDATE = `#graphql
mutation DraftOrderUpdate($id: ID!, $input: DraftOrderInput!) {
  draftOrderUpdate(id: $id, input: $input) {
    draftOrder { ${DRAFT_FIELDS} }
    ${USER_ERRORS}
  }
}`;

export const DRAFT_ORDER_DELETE = `#graphql
mutation DraftOrderDelete($input: DraftOrderDeleteInput!) {
  draftOrderDelete(input: $input) {
    deletedId
    ${USER_ERRORS}
  }
}`;

export const DRAFT_ORDER_INVOICE_SEND = `#graphql
mutation DraftOrderInvoiceSend($id: ID!, $email: EmailInput) {
  draftOrderInvoiceSend(id: $id, email: $email) {
    draftOrder { ${DRAFT_FIELDS} }
    ${USER_ERRORS}
  }
}`;

export const DRAFT_ORDER_GET = `#graphql
query DraftOrderGet($id: ID!) {
  draftOrder(id: $id) { ${DRAFT_FIELDS} }
}`;

/** The current state of several copies in one query: source-edit detection for a batch of updates. */
export const DRAFT_ORDERS_BY_ID = `#graphql
query DraftOrdersById($ids: [ID!]!) {
  nodes(ids: $ids) { ... on DraftOrder { ${DRAFT_FIELDS} } }
}`;

/** Finds the draft(s) carrying one sync tag: resolves creates whose outcome is unknown. */
export const DRAFT_ORDERS_BY_TAG = `#graphql
query DraftOrdersByTag($query: String!) {
  draftOrders(first: 5, query: $query, sortKey: UPDATED_AT) {
    nodes { ${DRAFT_FIELDS} }
  }
}`;

export const CUSTOMER_BY_EMAIL = `#graphql
query CustomerByEmail($email: String!) {
  customerByIdentifier(identifier: { emailAddress: $email }) { id email }
}`;

/** The cheapest authenticated read: proves the store answers and accepts our token. */
export const SHOP_ACCESS = `#graphql
query ShopAccess {
  shop { name }
}`;

/** Every document above, by operation name, for schema validation. */
export const ALL_OPERATIONS: Readonly<Record<string, string>> = {
  DraftOrderCreate: DRAFT_ORDER_CREATE,
  DraftOrderUpdate: DRAFT_ORDER_UPDATE,
  DraftOrderDelete: DRAFT_ORDER_DELETE,
  DraftOrderInvoiceSend: DRAFT_ORDER_INVOICE_SEND,
  DraftOrderGet: DRAFT_ORDER_GET,
  DraftOrdersById: DRAFT_ORDERS_BY_ID,
  DraftOrdersByTag: DRAFT_ORDERS_BY_TAG,
  CustomerByEmail: CUSTOMER_BY_EMAIL,
  ShopAccess: SHOP_ACCESS,
};

// ---- Response shapes (only the fields selected above) ----

export type { UserError };

export type SourceDraftStatus = 'OPEN' | 'INVOICE_SENT' | 'COMPLETED';

export interface SourceDraftNode {
  readonly id: string;
  readonly name: string;
  readonly status: SourceDraftStatus;
  readonly tags: readonly string[];
  readonly updatedAt: string;
  readonly email: string | null;
  readonly invoiceSentAt: string | null;
  readonly customer: { readonly id: string; readonly email: string | null } | null;
}

export interface DraftPayload {
  readonly draftOrder: SourceDraftNode | null;
  readonly userErrors: readonly UserError[];
}

export interface DraftOrderCreateData {
  readonly draftOrderCreate: DraftPayload | null;
}
export interface DraftOrderUpdateData {
  readonly draftOrderUpdate: DraftPayload | null;
}
export interface DraftOrderDeleteData {
  readonly draftOrderDelete: { readonly deletedId: string | null; readonly userErrors: readonly UserError[] } | null;
}
export interface DraftOrderInvoiceSendData {
  readonly draftOrderInvoiceSend: DraftPayload | null;
}
export interface DraftOrderGetData {
  readonly draftOrder: SourceDraftNode | null;
}
export interface DraftOrdersByIdData {
  /** In the order asked; null (or an empty object, for another type) where no draft has the id. */
  readonly nodes: readonly (Partial<SourceDraftNode> | null)[];
}
export interface DraftOrdersByTagData {
  readonly draftOrders: { readonly nodes: readonly SourceDraftNode[] };
}
export interface CustomerByEmailData {
  readonly customerByIdentifier: { readonly id: string; readonly email: string | null } | null;
}

export interface ShopAccessData {
  readonly shop: { readonly name: string };
}

/** Shopify's search syntax for one tag; quotes inside the tag are escaped. */
export function tagQuery(tag: string): string {
  return `tag:'${tag.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
