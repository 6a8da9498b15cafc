// Root query and mutation fields: read from / act on one store, answer in Shopify's shapes.
import { GraphQLError } from 'graphql';
import { parseGid } from '../core/ids.js';
import type { SearchSpec } from '../search/search-filter.js';
import type { Term } from '../search/search-query.js';
import { customerSearch, draftOrderSearch, orderSearch, productSearch, productVariantSearch } from '../search/specs.js';
import type { Outcome } from '../store/errors.js';
import { assertSupported, idOf, isRecord, optString } from '../store/input.js';
import type { Customer, DraftOrder, Order, Product, Variant } from '../store/model.js';
import { draftTotals } from '../store/totals.js';
import { paginate } from './connection.js';
import type { RequestContext } from './context.js';
import { argumentNotImplemented } from './errors.js';
import { filtered } from './filtered.js';
import { pageArgs, type Args, type View, userError } from './views.js';
import { webhookSubscriptionMutations, webhookSubscriptionQueries } from './webhook-subscriptions.js';

export type { RequestContext, SearchReport } from './context.js';

type Resolver = (args: Args) => unknown;

type Indexed = { indexed: DraftOrder; current: DraftOrder };

/** Search matchers over the indexed version of a draft. */
function mapSpec(fields: SearchSpec<DraftOrder>['fields']): SearchSpec<Indexed>['fields'] {
  return Object.fromEntries(Object.entries(fields).map(([name, match]) => [name, (e: Indexed, t: Term) => match(e.indexed, t)]));
}

function draftSort(sortKey: unknown): (d: DraftOrder) => string | number {
  switch (sortKey ?? 'ID') {
    case 'ID':
    case 'RELEVANCE':
      return (d) => d.id;
    case 'NUMBER':
      return (d) => d.number;
    case 'UPDATED_AT':
      return (d) => Math.floor(d.updatedAt / 1000);
    case 'STATUS':
      return (d) => d.status;
    case 'TOTAL_PRICE':
      return (d) => draftTotals(d).totalCents;
    default:
      throw argumentNotImplemented('sortKey', sortKey);
  }
}

function timeOrIdSort<T extends { id: number; updatedAt: number; createdAt: number }>(
  sortKey: unknown,
  extra: Record<string, (item: T) => string | number> = {},
): (item: T) => string | number {
  const key = typeof sortKey === 'string' ? sortKey : 'ID';
  if (key === 'ID' || key === 'RELEVANCE') return (i) => i.id;
  if (key === 'UPDATED_AT') return (i) => Math.floor(i.updatedAt / 1000);
  if (key === 'CREATED_AT' || key === 'PROCESSED_AT') return (i) => Math.floor(i.createdAt / 1000);
  const custom = extra[key];
  if (custom) return custom;
  throw argumentNotImplemented('sortKey', sortKey);
}

function payload<T>(outcome: Outcome<T>, key: string, view: (value: T) => unknown): View {
  return outcome.ok
    ? { __typename: 'Payload', [key]: view(outcome.value), userErrors: [] }
    : { __typename: 'Payload', [key]: null, userErrors: outcome.userErrors.map(userError) };
}

function inputOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function queryRoot(ctx: RequestContext): Record<string, Resolver> {
  const { store, views } = ctx;
  const limit = ctx.paginationLimit;
  return {
    shop: () => views.shop(),
    currentAppInstallation: () => views.appInstallation(ctx.scopes),
    draftOrder: (a) => views.draft(store.draft(idOf(a['id'], 'DraftOrder'))),
    draftOrders: (a) => {
      if (a['savedSearchId']) throw argumentNotImplemented('savedSearchId', a['savedSearchId']);
      const spec = draftOrderSearch(store);
      const indexedSpec = { fields: mapSpec(spec.fields), text: (e: Indexed, t: Term) => spec.text(e.indexed, t) };
      const found = filtered(ctx, 'draftOrders', a['query'], store.searchableDrafts(a['query'] ? ctx.searchLagMs : 0), indexedSpec);
      const items = [...new Set(found.map((e) => e.current))];
      return paginate(items, pageArgs(a), draftSort(a['sortKey']), (d) => views.draft(d), 'DraftOrderEdge', limit);
    },
    product: (a) => views.product(store.product(idOf(a['id'], 'Product'))),
    productByIdentifier: (a) => {
      const identifier = inputOf(a['identifier']);
      assertSupported(identifier, ['id', 'handle'], 'identifier');
      const handle = optString(identifier, 'handle');
      if (handle !== null) return views.product(store.products().find((p) => p.handle === handle));
      return views.product(store.product(idOf(identifier['id'], 'Product')));
    },
    products: (a) => {
      const items = filtered(ctx, 'products', a['query'], store.products(), productSearch);
      const sort = timeOrIdSort<Product>(a['sortKey'], { TITLE: (p) => p.title, VENDOR: (p) => p.vendor, PRODUCT_TYPE: (p) => p.productType });
      return paginate(items, pageArgs(a), sort, (p) => views.product(p), 'ProductEdge', limit);
    },
    productVariant: (a) => views.variant(store.variant(idOf(a['id'], 'ProductVariant'))),
    productVariants: (a) => {
      const items = filtered(ctx, 'productVariants', a['query'], store.variants(), productVariantSearch(store));
      const sort = timeOrIdSort<Variant>(a['sortKey'], { SKU: (v) => v.sku ?? '', TITLE: (v) => v.title, POSITION: (v) => v.position });
      return paginate(items, pageArgs(a), sort, (v) => views.variant(v), 'ProductVariantEdge', limit);
    },
    customer: (a) => views.customer(store.customer(idOf(a['id'], 'Customer'))),
    customerByIdentifier: (a) => {
      const identifier = inputOf(a['identifier']);
      assertSupported(identifier, ['emailAddress', 'phoneNumber', 'id'], 'identifier');
      const email = optString(identifier, 'emailAddress');
      if (email !== null) return views.customer(store.customerByEmail(email));
      const phone = optString(identifier, 'phoneNumber');
      if (phone !== null) return views.customer(store.customerByPhone(phone));
      return views.customer(store.customer(idOf(identifier['id'], 'Customer')));
    },
    customers: (a) => {
      const items = filtered(ctx, 'customers', a['query'], store.customers(), customerSearch);
      const sort = timeOrIdSort<Customer>(a['sortKey'], { NAME: (c) => `${c.firstName ?? ''} ${c.lastName ?? ''}` });
      return paginate(items, pageArgs(a), sort, (c) => views.customer(c), 'CustomerEdge', limit);
    },
    order: (a) => views.order(store.order(idOf(a['id'], 'Order'))),
    orders: (a) => {
      if (a['savedSearchId']) throw argumentNotImplemented('savedSearchId', a['savedSearchId']);
      const items = filtered(ctx, 'orders', a['query'], store.orders(), orderSearch);
      const sort = timeOrIdSort<Order>(a['sortKey'] ?? 'PROCESSED_AT', { ORDER_NUMBER: (o) => o.number });
      return paginate(items, pageArgs(a), sort, (o) => views.order(o), 'OrderEdge', limit);
    },
    ...webhookSubscriptionQueries(ctx),
    node: (a) => nodeById(ctx, a['id']),
    nodes: (a) => (Array.isArray(a['ids']) ? a['ids'].map((id) => nodeById(ctx, id)) : []),
  };
}

function nodeById(ctx: RequestContext, value: unknown): View | null {
  const parsed = typeof value === 'string' ? parseGid(value) : undefined;
  if (!parsed) throw new GraphQLError(`Invalid global id '${String(value)}'`);
  const { store, views } = ctx;
  switch (parsed.type) {
    case 'DraftOrder':
      return views.draft(store.draft(parsed.id));
    case 'Product':
      return views.product(store.product(parsed.id));
    case 'ProductVariant':
      return views.variant(store.variant(parsed.id));
    case 'Customer':
      return views.customer(store.customer(parsed.id));
    case 'Order':
      return views.order(store.order(parsed.id));
    case 'WebhookSubscription':
      return views.webhookSubscription(store.subscription(parsed.id));
    default:
      throw new GraphQLError(`node(id:) for ${parsed.type} is not implemented by the Shopify simulator`);
  }
}

export function mutationRoot(ctx: RequestContext): Record<string, Resolver> {
  const { store, views } = ctx;
  const draftPayload = (o: Outcome<DraftOrder>): View => payload(o, 'draftOrder', (d) => views.draft(d));
  return {
    draftOrderCreate: (a) => draftPayload(store.createDraft(inputOf(a['input']))),
    draftOrderUpdate: (a) => draftPayload(store.updateDraft(idOf(a['id'], 'DraftOrder'), inputOf(a['input']))),
    draftOrderDelete: (a) => {
      const input = inputOf(a['input']);
      const outcome = store.deleteDraft(idOf(input['id'], 'DraftOrder'));
      return payload(outcome, 'deletedId', () => input['id']);
    },
    draftOrderInvoiceSend: (a) =>
      draftPayload(store.sendInvoice(idOf(a['id'], 'DraftOrder'), isRecord(a['email']) ? a['email'] : null)),
    draftOrderComplete: (a) => {
      if (a['paymentGatewayId']) throw argumentNotImplemented('paymentGatewayId', a['paymentGatewayId']);
      return draftPayload(store.completeDraft(idOf(a['id'], 'DraftOrder'), a['paymentPending'] === true));
    },
    ...webhookSubscriptionMutations(ctx),
  };
}
