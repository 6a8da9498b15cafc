// A shop's API-created webhook subscriptions and the checks Shopify applies when an app
// creates or updates one (messages and fields as captured from live stores, where known).
import type { Clock } from '../core/clock.js';
import { nextId } from '../core/ids.js';
import { UnsupportedInputError, type Outcome, type UserError } from './errors.js';
import type { WebhookSubscription, WebhookTopic } from './model.js';

export interface SubscriptionInput {
  /** `uri`, or the deprecated `callbackUrl`. Absent on update = unchanged. */
  uri?: string | null;
  includeFields?: readonly string[] | null;
  /** Absent on update = unchanged; null clears it. */
  name?: string | null;
  filter?: '' | null;
}

export interface SubscriptionPolicy {
  /**
   * Hosts accepted over plain http and exempt from the internal-address rule: the simulator's
   * own loopback receivers (Shopify accepts neither).
   */
  allowHttpHost(host: string): boolean;
  /** Most subscriptions the app may hold on this shop. */
  limit: number;
  /** API version of the request that creates it: deliveries are serialized in it. */
  apiVersion: string;
}

const ADDRESS = ['webhookSubscription', 'callbackUrl'];
const NAME = ['webhookSubscription', 'name'];
const MAX_ADDRESS_BYTES = 65_535; // Shopify's text column: "Address is too big (maximum is 64 KB)"

const SHOPIFY_HOST = /(^|\.)(my)?shopify\.com$/;
const PRIVATE_HOST = /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[::1?\])$/;

type Checked = { ok: true; uri: string } | { ok: false; error: UserError };

function checkAddress(raw: string | null | undefined, policy: SubscriptionPolicy): Checked {
  const fail = (message: string): Checked => ({ ok: false, error: { field: ADDRESS, message } });
  const uri = (raw ?? '').trim(); // Shopify trims, and treats whitespace-only as blank
  if (!uri) return fail("Address can't be blank");
  if (Buffer.byteLength(uri, 'utf8') > MAX_ADDRESS_BYTES) return fail('Address is too big (maximum is 64 KB)');
  if (/^pubsub:\/\//i.test(uri) || /^arn:aws:events:/i.test(uri)) {
    throw new UnsupportedInputError('webhookSubscription.uri', 'Pub/Sub and EventBridge delivery is not simulated');
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return fail('Address is invalid');
  }
  if (!url.hostname) return fail('Address is invalid');
  const host = url.hostname.toLowerCase();
  const allowed = policy.allowHttpHost(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) return fail(`Address protocol ${url.protocol}// is not supported`);
  if (!allowed && (SHOPIFY_HOST.test(host) || PRIVATE_HOST.test(host))) return fail('Address cannot be a Shopify or an internal domain');
  return { ok: true, uri };
}

function checkName(name: string | null | undefined, others: readonly WebhookSubscription[]): UserError[] {
  if (name === null || name === undefined) return [];
  const errors: UserError[] = [];
  if (name.length === 0) errors.push({ field: NAME, message: 'Name is too short (minimum is 1 character)' });
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    errors.push({ field: NAME, message: 'Name name field can only contain alphanumeric characters, underscores, and hyphens' });
  }
  if (!errors.length && others.some((s) => s.name?.toLowerCase() === name.toLowerCase())) {
    errors.push({ field: NAME, message: 'Name already exists, no duplicate allowed' });
  }
  return errors;
}

export class WebhookSubscriptions {
  private readonly byId = new Map<number, WebhookSubscription>();

  constructor(private readonly clock: Clock) {}

  list(): WebhookSubscription[] {
    return [...this.byId.values()];
  }

  get(id: number): WebhookSubscription | undefined {
    return this.byId.get(id);
  }

  forTopic(topic: WebhookTopic): WebhookSubscription[] {
    return this.list().filter((s) => s.topic === topic);
  }

  /** The one for this topic and address, if any (an address is taken once per topic). */
  find(topic: WebhookTopic, uri: string): WebhookSubscription | undefined {
    return this.list().find((s) => s.topic === topic && s.uri === uri);
  }

  /** webhookSubscriptionCreate. */
  create(topic: WebhookTopic, input: SubscriptionInput, policy: SubscriptionPolicy): Outcome<WebhookSubscription> {
    const address = checkAddress(input.uri, policy);
    const errors = [...(address.ok ? [] : [address.error]), ...checkName(input.name, this.list())];
    if (address.ok && this.find(topic, address.uri)) errors.push({ field: ADDRESS, message: 'Address for this topic has already been taken' });
    if (!errors.length && this.byId.size >= policy.limit) {
      errors.push({ field: null, message: `Webhook subscription limit reached: an app may hold ${policy.limit} subscriptions on this shop` });
    }
    if (!address.ok || errors.length) return { ok: false, userErrors: errors };
    const now = this.clock.now();
    const subscription: WebhookSubscription = {
      id: nextId(),
      topic,
      uri: address.uri,
      apiVersion: policy.apiVersion,
      includeFields: [...(input.includeFields ?? [])],
      name: input.name ?? null,
      filter: input.filter ?? null,
      createdViaApi: true,
      createdAt: now,
      updatedAt: now,
    };
    this.byId.set(subscription.id, subscription);
    return { ok: true, value: subscription };
  }

  /** webhookSubscriptionUpdate: the given fields replace the stored ones; topic, version and createdAt stay. */
  update(id: number, input: SubscriptionInput, policy: SubscriptionPolicy): Outcome<WebhookSubscription> {
    const current = this.byId.get(id);
    if (!current) return { ok: false, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
    const others = this.list().filter((s) => s.id !== id);
    const address: Checked = input.uri === undefined ? { ok: true, uri: current.uri } : checkAddress(input.uri, policy);
    const errors = [...(address.ok ? [] : [address.error]), ...checkName(input.name, others)];
    if (address.ok && others.some((s) => s.topic === current.topic && s.uri === address.uri)) {
      errors.push({ field: ADDRESS, message: 'Address for this topic has already been taken' });
    }
    if (!address.ok || errors.length) return { ok: false, userErrors: errors };
    current.uri = address.uri;
    if (input.includeFields !== undefined) current.includeFields = [...(input.includeFields ?? [])];
    if (input.name !== undefined) current.name = input.name;
    if (input.filter !== undefined) current.filter = input.filter;
    current.updatedAt = Math.max(this.clock.now(), current.updatedAt);
    return { ok: true, value: current };
  }

  /** webhookSubscriptionDelete. */
  delete(id: number): Outcome<{ id: number }> {
    if (!this.byId.delete(id)) return { ok: false, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
    return { ok: true, value: { id } };
  }

  /** Inserts without the API's checks (the simulator's own setup paths). */
  add(topic: WebhookTopic, uri: string, opts: { createdViaApi?: boolean; includeFields?: string[]; apiVersion?: string; name?: string | null } = {}): WebhookSubscription {
    const now = this.clock.now();
    const subscription: WebhookSubscription = {
      id: nextId(),
      topic,
      uri,
      apiVersion: opts.apiVersion ?? '2026-10',
      includeFields: opts.includeFields ?? [],
      name: opts.name ?? null,
      filter: null,
      createdViaApi: opts.createdViaApi ?? true,
      createdAt: now,
      updatedAt: now,
    };
    this.byId.set(subscription.id, subscription);
    return subscription;
  }

  remove(id: number): boolean {
    return this.byId.delete(id);
  }
}
