// `stores check` and `stores connect`: whether each configured store answers our token as the
// shop it should be, grants the scopes its roles need and is subscribed to the webhooks they
// need — from Shopify's own answers — and making the subscriptions match. Reads go through the
// paced client (throttle-aware, transient failures retried); mutations are never resent blind:
// a create whose reply was lost shows up as a duplicate on the next run, which deletes it.
import { findStore, WEBHOOK_PATH, webhookApiVersionFor, webhookCallbackUrl, type AppConfig, type StoreConfig } from '../shared/config/index.js';
import { retry } from '../shared/retry.js';
import type { AdminGraphql } from '../shopify/admin-client.js';
import { describeFailure, type CallResult, type UserError } from '../shopify/call-result.js';
import { pacedClient } from '../shopify/requester.js';
import { missingScopes, requirementsOf, type StoreRole } from './store-requirements.js';
import { planSubscriptions, type ExistingSubscription, type SubscriptionAction, type SubscriptionPlan } from './subscription-plan.js';

export const STORE_CHECK = `#graphql
query StoreCheck($after: String) {
  shop { myshopifyDomain }
  currentAppInstallation { accessScopes { handle } }
  webhookSubscriptions(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id topic uri format includeFields apiVersion { handle } }
  }
}`;

export const WEBHOOK_CREATE = `#graphql
mutation StoreWebhookCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id }
    userErrors { field message }
  }
}`;

export const WEBHOOK_UPDATE = `#graphql
mutation StoreWebhookUpdate($id: ID!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionUpdate(id: $id, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id }
    userErrors { field message }
  }
}`;

export const WEBHOOK_DELETE = `#graphql
mutation StoreWebhookDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`;

interface CheckData {
  readonly shop: { readonly myshopifyDomain: string };
  readonly currentAppInstallation: { readonly accessScopes: readonly { readonly handle: string }[] };
  readonly webhookSubscriptions: {
    readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
    readonly nodes: readonly {
      readonly id: string;
      readonly topic: string;
      readonly uri: string;
      readonly format: string;
      readonly includeFields: readonly string[] | null;
      readonly apiVersion: { readonly handle: string } | null;
    }[];
  };
}

type MutationPayload = { readonly userErrors: readonly UserError[] } | null;

export interface StoreCheck {
  readonly shop: string;
  readonly roles: readonly StoreRole[];
  /** `refused`: the store answered 401/403 to our token; `unchecked`: the store is in no connection. */
  readonly token: 'ok' | 'refused' | 'unchecked';
  /** The shop the token belongs to, as Shopify reports it. */
  readonly myshopifyDomain: string | null;
  readonly scopes: { readonly required: readonly string[]; readonly granted: readonly string[]; readonly missing: readonly string[] };
  readonly callbackUrl: string | null;
  readonly webhookApiVersion: string;
  /** Null when the subscriptions could not be read (token refused) or no callback is configured. */
  readonly subscriptions: SubscriptionPlan | null;
  /** What is wrong, each with its fix; empty when the store is ready. */
  readonly problems: readonly string[];
}

/** Makes a store's client; tests pass their own, the default is the paced Admin client. */
export type ClientFor = (store: StoreConfig, apiVersion: string) => AdminGraphql;

const defaultClient: ClientFor = (store, apiVersion) => pacedClient(store, apiVersion);

/** A store that could not be checked at all (network, 5xx after retries, an unexpected answer). */
export class StoreUnreachable extends Error {}

export async function checkStores(config: AppConfig, opts: { readonly shop?: string; readonly clientFor?: ClientFor } = {}): Promise<StoreCheck[]> {
  const stores = opts.shop ? [storeNamed(config, opts.shop)] : config.stores;
  return Promise.all(stores.map((store) => checkStore(config, store, opts.clientFor ?? defaultClient)));
}

async function checkStore(config: AppConfig, store: StoreConfig, clientFor: ClientFor): Promise<StoreCheck> {
  const required = requirementsOf(config, store);
  const callbackUrl = webhookCallbackUrl(config);
  const webhookApiVersion = webhookApiVersionFor(config, store);
  const base = { shop: store.shop, roles: required.roles, callbackUrl, webhookApiVersion };
  if (required.roles.length === 0) {
    // Nothing syncs through it: nothing to require (and no reason to call it).
    return { ...base, token: 'unchecked', myshopifyDomain: null, scopes: { required: [], granted: [], missing: [] }, subscriptions: null, problems: [] };
  }
  const read = await readStore(clientFor(store, store.apiVersion));
  if (read === 'refused') {
    return {
      ...base,
      token: 'refused',
      myshopifyDomain: null,
      scopes: { required: required.scopes, granted: [], missing: [] },
      subscriptions: null,
      problems: [`${store.shop}: the Admin API token was refused (401/403): install the app again or create a new token, and put it in the variable the store's adminTokenEnv names`],
    };
  }
  const problems: string[] = [];
  if (read.myshopifyDomain.toLowerCase() !== store.shop) {
    problems.push(`${store.shop}: the token belongs to ${read.myshopifyDomain}: use that store's token, or fix the shop in the configuration`);
  }
  const missing = missingScopes(required.scopes, read.scopes);
  if (missing.length > 0) problems.push(`${store.shop}: missing access scope(s) ${missing.join(', ')}: grant them in the app's Admin API scopes and reinstall it`);
  let subscriptions: SubscriptionPlan | null = null;
  if (callbackUrl === null) {
    problems.push(`${store.shop}: webhook subscriptions not checked: set ingest.publicUrl in the configuration (the https URL where Shopify reaches ingest)`);
  } else {
    subscriptions = planSubscriptions({ existing: read.subscriptions, topics: required.topics, callbackUrl, apiVersion: webhookApiVersion, webhookPath: WEBHOOK_PATH });
    for (const t of subscriptions.topics) for (const p of t.problems) problems.push(`${store.shop}: webhook ${t.topic}: ${p}`);
    for (const e of subscriptions.extra) problems.push(`${store.shop}: subscription no longer needed: ${e}`);
    if (subscriptions.actions.length > 0) problems.push(`${store.shop}: run \`draft-sync stores connect\` to fix the subscriptions`);
  }
  return { ...base, token: 'ok', myshopifyDomain: read.myshopifyDomain, scopes: { required: required.scopes, granted: read.scopes, missing }, subscriptions, problems };
}

interface StoreRead {
  readonly myshopifyDomain: string;
  readonly scopes: readonly string[];
  readonly subscriptions: readonly ExistingSubscription[];
}

async function readStore(client: AdminGraphql): Promise<StoreRead | 'refused'> {
  const subscriptions: ExistingSubscription[] = [];
  let after: string | null = null;
  let first: CheckData | null = null;
  for (;;) {
    const result = await readWithRetries(() => client.call<CheckData>('StoreCheck', STORE_CHECK, { after }));
    if (result.kind === 'permanent' && (result.status === 401 || result.status === 403)) return 'refused';
    if (result.kind !== 'ok') throw new StoreUnreachable(`${client.shop}: ${describeFailure(result)}`);
    first ??= result.data;
    for (const n of result.data.webhookSubscriptions.nodes) {
      subscriptions.push({ id: n.id, topic: n.topic, uri: n.uri, format: n.format, includeFields: n.includeFields ?? [], apiVersion: n.apiVersion?.handle ?? null });
    }
    const page = result.data.webhookSubscriptions.pageInfo;
    if (!page.hasNextPage || !page.endCursor) break;
    after = page.endCursor;
  }
  return {
    myshopifyDomain: first.shop.myshopifyDomain,
    scopes: first.currentAppInstallation.accessScopes.map((s) => s.handle),
    subscriptions,
  };
}

/** Reads are safe to resend: transient failures are retried a few times. */
async function readWithRetries<T>(call: () => Promise<CallResult<T>>): Promise<CallResult<T>> {
  let last: CallResult<T> | null = null;
  try {
    return await retry(
      async () => {
        last = await call();
        if (last.kind === 'transient' || last.kind === 'throttled') throw new Error('retry');
        return last;
      },
      { attempts: 4, baseDelayMs: 250, maxDelayMs: 2000 },
    );
  } catch {
    return last!;
  }
}

export interface ConnectResult {
  readonly shop: string;
  /** The actions planned (dry run) or applied, in order. */
  readonly actions: readonly SubscriptionAction[];
  readonly applied: number;
  /** Why the store's subscriptions were not (all) changed; null when everything planned was done. */
  readonly stopped: string | null;
}

/** Makes every store's subscriptions match its needs; `dryRun` only plans. */
export async function connectStores(config: AppConfig, opts: { readonly dryRun?: boolean; readonly shop?: string; readonly clientFor?: ClientFor } = {}): Promise<ConnectResult[]> {
  const callbackUrl = webhookCallbackUrl(config);
  if (callbackUrl === null) throw new Error('ingest.publicUrl is not configured: set it to the https URL where Shopify reaches ingest (the webhook path is appended)');
  const clientFor = opts.clientFor ?? defaultClient;
  const checks = await checkStores(config, { ...(opts.shop ? { shop: opts.shop } : {}), clientFor });
  const results: ConnectResult[] = [];
  for (const check of checks) {
    const store = storeNamed(config, check.shop);
    if (check.token === 'unchecked') continue;
    if (check.token === 'refused' || check.subscriptions === null) {
      results.push({ shop: check.shop, actions: [], applied: 0, stopped: check.problems[0] ?? 'not checked' });
      continue;
    }
    const { actions } = check.subscriptions;
    if (opts.dryRun || actions.length === 0) {
      results.push({ shop: check.shop, actions, applied: 0, stopped: null });
      continue;
    }
    results.push(await apply(clientFor(store, check.webhookApiVersion), callbackUrl, actions));
  }
  return results;
}

/** Applies in order; the first refusal stops this store (what follows may depend on it). */
async function apply(client: AdminGraphql, callbackUrl: string, actions: readonly SubscriptionAction[]): Promise<ConnectResult> {
  let applied = 0;
  for (const action of actions) {
    const problem = await applyOne(client, callbackUrl, action);
    if (problem !== null) return { shop: client.shop, actions, applied, stopped: `${client.shop}: ${describeAction(action)}: ${problem}` };
    applied++;
  }
  return { shop: client.shop, actions, applied, stopped: null };
}

async function applyOne(client: AdminGraphql, callbackUrl: string, action: SubscriptionAction): Promise<string | null> {
  // Our subscriptions carry the whole payload (no includeFields): the mapper needs all of it.
  const webhookSubscription = { uri: callbackUrl, format: 'JSON', includeFields: [] as string[] };
  let result: CallResult<Record<string, MutationPayload>>;
  let field: string;
  switch (action.kind) {
    case 'create':
      field = 'webhookSubscriptionCreate';
      result = await client.call('StoreWebhookCreate', WEBHOOK_CREATE, { topic: action.topic, webhookSubscription });
      break;
    case 'update':
      field = 'webhookSubscriptionUpdate';
      result = await client.call('StoreWebhookUpdate', WEBHOOK_UPDATE, { id: action.id, webhookSubscription });
      break;
    case 'delete':
      field = 'webhookSubscriptionDelete';
      result = await client.call('StoreWebhookDelete', WEBHOOK_DELETE, { id: action.id });
      break;
  }
  if (result.kind !== 'ok') return `${describeFailure(result)}${result.kind === 'transient' ? ' (run connect again: it finds what was done)' : ''}`;
  const errors = result.data[field]?.userErrors ?? [];
  if (errors.length > 0) return `refused: ${errors.map((e) => e.message).join('; ')}`;
  return null;
}

export function describeAction(action: SubscriptionAction): string {
  switch (action.kind) {
    case 'create':
      return `create ${action.topic} (${action.why})`;
    case 'update':
      return `update ${action.topic} ${action.id} (${action.why})`;
    case 'delete':
      return `delete ${action.topic} ${action.id} at ${action.uri} (${action.why})`;
  }
}

function storeNamed(config: AppConfig, shop: string): StoreConfig {
  const store = findStore(config, shop);
  if (!store) throw new Error(`store ${shop} is not configured (known: ${config.stores.map((s) => s.shop).join(', ')})`);
  return store;
}

/** Human-readable report of `stores check`. */
export function formatChecks(checks: readonly StoreCheck[]): string {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${c.shop} (${c.roles.join(' + ') || 'no connection'}): ${c.problems.length === 0 ? 'ready' : `${c.problems.length} problem(s)`}`);
    if (c.token === 'unchecked') continue;
    lines.push(`  token:          ${c.token === 'ok' ? `ok (${c.myshopifyDomain})` : 'refused'}`);
    if (c.token === 'ok') lines.push(`  scopes:         ${c.scopes.missing.length === 0 ? 'ok' : `missing ${c.scopes.missing.join(', ')}`} (needs ${c.scopes.required.join(', ')})`);
    if (c.subscriptions) {
      for (const t of c.subscriptions.topics) lines.push(`  ${t.topic.padEnd(22)}${t.problems.length === 0 ? 'ok' : t.problems.join('; ')}`);
      for (const f of c.subscriptions.foreign) lines.push(`  (left alone: ${f.topic} → ${f.uri})`);
    }
    for (const p of c.problems) lines.push(`  ✗ ${p}`);
  }
  return `${lines.join('\n')}\n`;
}
