// webhookSubscription(s) queries and the create/update/delete mutations, with Shopify's
// arguments and payloads. HTTP(S) endpoints in JSON only; inputs the simulator cannot honour
// (XML, filters, metafields, Pub/Sub, EventBridge) fail loudly instead of being ignored.
import { topicFromEnum, isWebhookTopic, type WebhookSubscription, type WebhookTopic } from '../store/model.js';
import { TOPIC_SCOPES } from '../access/scopes.js';
import { webhookSubscriptionSearch } from '../search/specs.js';
import type { Outcome } from '../store/errors.js';
import { assertSupported, has, idOf, isRecord, optString, strings, type InputRecord } from '../store/input.js';
import type { SubscriptionInput } from '../store/subscriptions.js';
import { paginate } from './connection.js';
import type { RequestContext } from './context.js';
import { argumentNotImplemented } from './errors.js';
import { filtered } from './filtered.js';
import { pageArgs, userError, type Args, type View } from './views.js';

const INPUT_FIELDS = ['uri', 'callbackUrl', 'format', 'includeFields', 'name', 'filter', 'metafieldNamespaces', 'metafields'] as const;

/** WebhookSubscriptionInput → what the store models; anything else is refused by name. */
function subscriptionInput(value: unknown): SubscriptionInput {
  const input: InputRecord = isRecord(value) ? value : {};
  assertSupported(input, INPUT_FIELDS, 'webhookSubscription');
  if (input['format'] === 'XML') throw argumentNotImplemented('webhookSubscription.format', 'XML');
  const filter = input['filter'];
  if (filter !== undefined && filter !== null && filter !== '') throw argumentNotImplemented('webhookSubscription.filter', filter);
  for (const list of ['metafieldNamespaces', 'metafields'] as const) {
    const items = input[list];
    if (Array.isArray(items) && items.length) throw argumentNotImplemented(`webhookSubscription.${list}`, items);
  }
  const out: SubscriptionInput = {};
  // `uri` wins over the deprecated `callbackUrl` when both are given.
  if (has(input, 'uri')) out.uri = optString(input, 'uri');
  else if (has(input, 'callbackUrl')) out.uri = optString(input, 'callbackUrl');
  if (has(input, 'includeFields')) out.includeFields = input['includeFields'] === null ? null : strings(input['includeFields']);
  if (has(input, 'name')) out.name = optString(input, 'name');
  if (has(input, 'filter')) out.filter = filter === '' ? '' : null;
  return out;
}

function subscriptionPayload(typename: string, ctx: RequestContext, outcome: Outcome<WebhookSubscription>): View {
  return outcome.ok
    ? { __typename: typename, webhookSubscription: ctx.views.webhookSubscription(outcome.value), userErrors: [] }
    : { __typename: typename, webhookSubscription: null, userErrors: outcome.userErrors.map(userError) };
}

function topicArg(value: unknown): WebhookTopic {
  const topicEnum = typeof value === 'string' ? value : '';
  const topic = topicFromEnum(topicEnum);
  if (!isWebhookTopic(topic)) throw argumentNotImplemented('topic', topicEnum);
  return topic;
}

function listed(ctx: RequestContext, a: Args, field: string): WebhookSubscription[] {
  const topics = strings(a['topics']).map(topicFromEnum);
  // `uri`, or the deprecated `callbackUrl`: exact address match.
  const address = typeof a['uri'] === 'string' ? a['uri'] : typeof a['callbackUrl'] === 'string' ? a['callbackUrl'] : undefined;
  const items = ctx.store
    .subscriptions()
    .filter((s) => topics.length === 0 || topics.includes(s.topic))
    .filter((s) => address === undefined || s.uri === address.trim())
    .filter(() => a['format'] !== 'XML'); // every subscription here is JSON
  return filtered(ctx, field, a['query'], items, webhookSubscriptionSearch);
}

export function webhookSubscriptionQueries(ctx: RequestContext): Record<string, (a: Args) => unknown> {
  const { store, views } = ctx;
  return {
    webhookSubscription: (a) => views.webhookSubscription(store.subscription(idOf(a['id'], 'WebhookSubscription'))),
    webhookSubscriptions: (a) => {
      const sortKey = a['sortKey'] ?? 'CREATED_AT';
      const sort = sortKey === 'ID' ? (s: WebhookSubscription) => s.id : (s: WebhookSubscription) => Math.floor(s.createdAt / 1000);
      const items = listed(ctx, a, 'webhookSubscriptions');
      return paginate(items, pageArgs(a), sort, (s) => views.webhookSubscription(s), 'WebhookSubscriptionEdge', ctx.paginationLimit);
    },
    webhookSubscriptionsCount: (a) => {
      const count = listed(ctx, a, 'webhookSubscriptionsCount').length;
      const limit = a['limit'] === null ? Infinity : typeof a['limit'] === 'number' ? a['limit'] : 10_000;
      return { __typename: 'Count', count: Math.min(count, limit), precision: count > limit ? 'AT_LEAST' : 'EXACT' };
    },
  };
}

export function webhookSubscriptionMutations(ctx: RequestContext): Record<string, (a: Args) => unknown> {
  const subscriptions = ctx.store.webhookSubscriptions;
  return {
    webhookSubscriptionCreate: (a) => {
      const topic = topicArg(a['topic']);
      const input = subscriptionInput(a['webhookSubscription']);
      if (!ctx.scopes.hasAny(TOPIC_SCOPES[topic])) {
        // Shopify's wording (community reports) lists every topic the token may use; ours lists the modelled ones.
        const allowed = (Object.keys(TOPIC_SCOPES) as WebhookTopic[]).filter((t) => ctx.scopes.hasAny(TOPIC_SCOPES[t]));
        return subscriptionPayload('WebhookSubscriptionCreatePayload', ctx, {
          ok: false,
          userErrors: [
            {
              field: ['topic'],
              message: `Topic Invalid topic specified: ${topic}. Does it exist? Is there a missing access scope? Topics allowed: ${allowed.join(', ')}`,
            },
          ],
        });
      }
      return subscriptionPayload('WebhookSubscriptionCreatePayload', ctx, subscriptions.create(topic, input, ctx.subscriptionPolicy));
    },
    webhookSubscriptionUpdate: (a) => {
      const id = idOf(a['id'], 'WebhookSubscription');
      return subscriptionPayload('WebhookSubscriptionUpdatePayload', ctx, subscriptions.update(id, subscriptionInput(a['webhookSubscription']), ctx.subscriptionPolicy));
    },
    webhookSubscriptionDelete: (a) => {
      const outcome = subscriptions.delete(idOf(a['id'], 'WebhookSubscription'));
      return outcome.ok
        ? { __typename: 'WebhookSubscriptionDeletePayload', deletedWebhookSubscriptionId: a['id'], userErrors: [] }
        : { __typename: 'WebhookSubscriptionDeletePayload', deletedWebhookSubscriptionId: null, userErrors: outcome.userErrors.map(userError) };
    },
  };
}
