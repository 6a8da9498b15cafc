// One simulated shop as the simulator runs it: the store's data, its API credentials (tokens
// with scopes) and app secret, its rate-limit bucket and API limits, Admin API faults, webhook
// faults and request counters — plus the convenience API tests and the control API use to act
// "as a merchant / customer".
import { coerceInputValue, isInputObjectType, type GraphQLSchema } from 'graphql';
import { randomBytes } from 'node:crypto';
import { DEFAULT_SCOPES, type ScopeSet } from './access/scopes.js';
import { AccessTokens, type AccessTokenInfo, type AccessTokenSpec } from './access/tokens.js';
import { ADMIN_API_VERSION } from './admin-schema.js';
import type { Clock } from './core/clock.js';
import { FaultPlan, type FaultKind, type FaultOptions, type OperationMatch } from './core/faults.js';
import { gid } from './core/ids.js';
import { ADVANCED_PLAN, LeakyBucket, PLUS_PLAN, STANDARD_PLAN, type BucketLimits, type ThrottleStatus } from './core/leaky-bucket.js';
import { WebhookFaultPlan, type WebhookFaultOptions } from './webhooks/behaviour.js';
import type { Outcome, UserError } from './store/errors.js';
import type { InputRecord } from './store/input.js';
import { isWebhookTopic, topicFromEnum, type Customer, type DraftOrder, type Order, type Product, type WebhookSubscription, type WebhookTopic } from './store/model.js';
import { Store, type CustomerSeed, type PlaceOrderInput, type ProductSeed, type StoreEvent } from './store/store.js';
import type { SubscriptionInput, SubscriptionPolicy } from './store/subscriptions.js';

export type PlanName = 'standard' | 'advanced' | 'plus';

export interface ShopOptions {
  /** e.g. eu-brand.myshopify.com */
  shop: string;
  /** Admin API access token (X-Shopify-Access-Token). Generated when omitted. */
  accessToken?: string;
  /** Scopes of `accessToken` (default DEFAULT_SCOPES: everything the simulator serves). */
  scopes?: readonly string[];
  /** Further tokens, each with its own scopes (e.g. a read-only one). */
  accessTokens?: readonly AccessTokenSpec[];
  /** The app's client secret that signs webhooks. Generated when omitted. */
  webhookSecret?: string;
  name?: string;
  currency?: string;
  timezoneOffsetMinutes?: number;
  /** Rate-limit plan (default standard: 2000 points, 100/s). */
  plan?: PlanName;
  /** Overrides of the plan's bucket, e.g. a timeScale for fast benchmarks. */
  throttle?: Partial<BucketLimits>;
  limits?: Partial<ShopLimits>;
}

export interface ShopLimits {
  /**
   * Objects a root connection pages through before refusing to go further (null: no cap).
   * Shopify documents 25,000 for the Storefront API and Liquid; see the README.
   */
  paginationLimit: number | null;
  /** Webhook subscriptions the app may hold on this shop (Shopify publishes no number). */
  webhookSubscriptionLimit: number;
}

export const DEFAULT_LIMITS: ShopLimits = { paginationLimit: 25_000, webhookSubscriptionLimit: 1000 };

export interface ShopStats {
  requests: number;
  queries: number;
  mutations: number;
  throttled: number;
  serverErrors: number;
  dropped: number;
  lostReplies: number;
}

const PLANS: Record<PlanName, BucketLimits> = { standard: STANDARD_PLAN, advanced: ADVANCED_PLAN, plus: PLUS_PLAN };

/** Store operations refused with userErrors throw this from the convenience API. */
export class UserErrorsError extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(`userErrors: ${userErrors.map((e) => `${e.field?.join('.') ?? '-'}: ${e.message}`).join('; ')}`);
    this.name = 'UserErrorsError';
  }
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new UserErrorsError(outcome.userErrors);
  return outcome.value;
}

function normaliseShop(shop: string): string {
  const lower = shop.toLowerCase();
  return lower.includes('.') ? lower : `${lower}.myshopify.com`;
}

export interface ShopEnvironment {
  schema: GraphQLSchema;
  clock: Clock;
  onEvent: (event: StoreEvent) => void;
  /** Hosts whose webhook addresses may be plain http (the simulator's loopback receivers). */
  allowHttpWebhookHost: (host: string) => boolean;
}

export class SimulatedShop {
  readonly shop: string;
  readonly accessToken: string;
  readonly webhookSecret: string;
  readonly bucket: LeakyBucket;
  readonly faults = new FaultPlan();
  readonly webhookFaults = new WebhookFaultPlan();
  stats: ShopStats = SimulatedShop.emptyStats();
  private store_: Store;
  private tokens: AccessTokens;
  private limits_: ShopLimits;

  constructor(
    readonly options: ShopOptions,
    private readonly env: ShopEnvironment,
  ) {
    this.shop = normaliseShop(options.shop);
    this.accessToken = options.accessToken ?? `shpat_${randomBytes(16).toString('hex')}`;
    this.webhookSecret = options.webhookSecret ?? randomBytes(16).toString('hex');
    this.bucket = new LeakyBucket({ ...PLANS[options.plan ?? 'standard'], ...options.throttle }, env.clock);
    this.store_ = this.newStore();
    this.tokens = this.configuredTokens();
    this.limits_ = { ...DEFAULT_LIMITS, ...options.limits };
  }

  private configuredTokens(): AccessTokens {
    return new AccessTokens([{ accessToken: this.accessToken, scopes: this.options.scopes }, ...(this.options.accessTokens ?? [])]);
  }

  private static emptyStats(): ShopStats {
    return { requests: 0, queries: 0, mutations: 0, throttled: 0, serverErrors: 0, dropped: 0, lostReplies: 0 };
  }

  private newStore(): Store {
    return new Store({
      shop: this.shop,
      name: this.options.name,
      currency: this.options.currency,
      timezoneOffsetMinutes: this.options.timezoneOffsetMinutes,
      clock: this.env.clock,
      onEvent: this.env.onEvent,
    });
  }

  get store(): Store {
    return this.store_;
  }

  /**
   * Empties the store, refills the bucket, clears faults and counters, and puts tokens (added,
   * revoked, rescoped) and limits back as configured.
   */
  reset(): void {
    this.store_ = this.newStore();
    this.tokens = this.configuredTokens();
    this.limits_ = { ...DEFAULT_LIMITS, ...this.options.limits };
    this.bucket.configure({ ...PLANS[this.options.plan ?? 'standard'], ...this.options.throttle }, true);
    this.faults.reset();
    this.webhookFaults.reset();
    this.stats = SimulatedShop.emptyStats();
  }

  // ---- access tokens and limits

  /** The scopes of a usable token; undefined for unknown or revoked ones (→ 401). */
  authenticate(accessToken: string | undefined): ScopeSet | undefined {
    return this.tokens.authenticate(accessToken);
  }

  /** Another Admin API token for this shop, with its own scopes. Throws if it exists. */
  addAccessToken(accessToken: string, scopes: readonly string[] = DEFAULT_SCOPES): AccessTokenInfo {
    return this.tokens.add(accessToken, scopes);
  }

  setAccessScopes(accessToken: string, scopes: readonly string[]): AccessTokenInfo {
    return this.tokens.setScopes(accessToken, scopes);
  }

  /** From now on the token is refused with 401, as an uninstalled app's token is. */
  revokeAccessToken(accessToken: string): AccessTokenInfo {
    return this.tokens.revoke(accessToken);
  }

  accessTokens(): AccessTokenInfo[] {
    return this.tokens.list();
  }

  get limits(): ShopLimits {
    return { ...this.limits_ };
  }

  setLimits(limits: Partial<ShopLimits>): ShopLimits {
    this.limits_ = { ...this.limits_, ...limits };
    return this.limits;
  }

  /** The rules webhookSubscriptionCreate/Update apply here, for a request in `apiVersion`. */
  subscriptionPolicy(apiVersion: string = ADMIN_API_VERSION): SubscriptionPolicy {
    return { allowHttpHost: this.env.allowHttpWebhookHost, limit: this.limits_.webhookSubscriptionLimit, apiVersion };
  }

  /** Checks a control-API / test input against the schema's input type, as the API would. */
  private coerce(typeName: string, value: unknown): InputRecord {
    const type = this.env.schema.getType(typeName);
    if (!isInputObjectType(type)) throw new Error(`unknown input type ${typeName}`);
    return coerceInputValue(value, type) as InputRecord;
  }

  // ---- catalog & customers

  seedProducts(seeds: readonly ProductSeed[]): Product[] {
    return seeds.map((seed) => this.store.addProduct(seed));
  }

  addCustomer(seed: CustomerSeed): Customer {
    return this.store.addCustomer(seed);
  }

  /** The variant with this SKU (first match), for building test inputs. */
  variantBySku(sku: string): { id: number; gid: string; productId: number } {
    const variant = this.store.variants().find((v) => v.sku === sku);
    if (!variant) throw new Error(`${this.shop} has no variant with SKU ${sku}`);
    return { id: variant.id, gid: gid('ProductVariant', variant.id), productId: variant.productId };
  }

  // ---- drafts and orders, acting as the merchant (these emit webhooks)

  /** `input` is a GraphQL DraftOrderInput (validated against the schema). Throws UserErrorsError. */
  createDraft(input: Record<string, unknown>): DraftOrder {
    return unwrap(this.store.createDraft(this.coerce('DraftOrderInput', input)));
  }

  updateDraft(id: number, input: Record<string, unknown>): DraftOrder {
    return unwrap(this.store.updateDraft(id, this.coerce('DraftOrderInput', input)));
  }

  deleteDraft(id: number): void {
    unwrap(this.store.deleteDraft(id));
  }

  completeDraft(id: number, paymentPending = false): DraftOrder {
    return unwrap(this.store.completeDraft(id, paymentPending));
  }

  sendInvoice(id: number, email?: { to?: string; subject?: string; customMessage?: string }): DraftOrder {
    return unwrap(this.store.sendInvoice(id, email ? this.coerce('EmailInput', email) : null));
  }

  /** A customer checks out (orders/create). */
  placeOrder(input: PlaceOrderInput): Order {
    return unwrap(this.store.placeOrder(input));
  }

  // ---- webhook subscriptions

  /**
   * Subscribes `uri` to `topic` ("draft_orders/create" or "DRAFT_ORDERS_CREATE") as the app
   * would through webhookSubscriptionCreate (same checks; UserErrorsError). Unlike the API it
   * is idempotent: an existing subscription for this topic and address is returned as it is.
   */
  subscribe(topic: string, uri: string, opts: { includeFields?: string[]; name?: string } = {}): WebhookSubscription {
    const rest = topic.includes('/') ? topic : topicFromEnum(topic);
    if (!isWebhookTopic(rest)) throw new Error(`unsupported webhook topic ${topic}`);
    const existing = this.store.webhookSubscriptions.find(rest, uri.trim());
    if (existing) return existing;
    return unwrap(this.store.webhookSubscriptions.create(rest, { uri, includeFields: opts.includeFields, name: opts.name }, this.subscriptionPolicy()));
  }

  /** webhookSubscriptionUpdate: a new address, includeFields or name. Throws UserErrorsError. */
  updateSubscription(id: number, input: SubscriptionInput): WebhookSubscription {
    return unwrap(this.store.webhookSubscriptions.update(id, input, this.subscriptionPolicy()));
  }

  /** webhookSubscriptionDelete: no further deliveries (pending retries are cancelled). Throws UserErrorsError. */
  unsubscribe(id: number): void {
    unwrap(this.store.webhookSubscriptions.delete(id));
  }

  /** Subscribes `uri` to every topic the simulator emits. */
  subscribeAll(uri: string, topics: readonly WebhookTopic[] = ['draft_orders/create', 'draft_orders/update', 'draft_orders/delete', 'orders/create', 'products/create', 'products/update', 'products/delete']): WebhookSubscription[] {
    return topics.map((topic) => this.subscribe(topic, uri));
  }

  // ---- throttle and faults

  /** Bucket limits; `currentlyAvailable` sets the current level (e.g. 0 to start throttled). */
  setThrottle(limits: Partial<BucketLimits> & { currentlyAvailable?: number }): ThrottleStatus {
    const { currentlyAvailable, ...rest } = limits;
    this.bucket.configure(rest);
    if (currentlyAvailable !== undefined) this.bucket.setAvailable(currentlyAvailable);
    return this.bucket.status();
  }

  throttleStatus(): ThrottleStatus {
    return this.bucket.status();
  }

  setFaults(options: Partial<FaultOptions>): FaultOptions {
    return this.faults.configure(options);
  }

  /** The next `count` Admin API requests (matching `match`) fail with `kind`. */
  failNext(kind: FaultKind, count = 1, match?: OperationMatch, status?: number): void {
    this.faults.failNext(kind, count, match, status);
  }

  setWebhookFaults(options: Partial<WebhookFaultOptions>): WebhookFaultOptions {
    return this.webhookFaults.configure(options);
  }

  // ---- reading

  /** Everything the store holds (deep copy). */
  snapshot(): ShopSnapshot {
    const s = this.store;
    return structuredClone({
      shop: this.shop,
      products: s.products(),
      customers: s.customers(),
      draftOrders: s.drafts(),
      orders: s.orders(),
      webhookSubscriptions: s.subscriptions(),
      accessTokens: this.tokens.list(),
      limits: this.limits,
      throttleStatus: this.bucket.status(),
      faults: this.faults.current,
      webhookFaults: this.webhookFaults.current,
      stats: this.stats,
    });
  }
}

export interface ShopSnapshot {
  shop: string;
  products: Product[];
  customers: Customer[];
  draftOrders: DraftOrder[];
  orders: Order[];
  webhookSubscriptions: WebhookSubscription[];
  accessTokens: AccessTokenInfo[];
  limits: ShopLimits;
  throttleStatus: ThrottleStatus;
  faults: FaultOptions;
  webhookFaults: WebhookFaultOptions;
  stats: ShopStats;
}
