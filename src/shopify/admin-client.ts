// One paced Admin GraphQL client per source store, built on @shopify/admin-api-client.
// Every call goes through the store's Pacer and comes back as a typed CallResult.
import { createAdminApiClient, type AdminApiClient } from '@shopify/admin-api-client';
import type { Pacer } from './pacer.js';
import type { CallResult } from './call-result.js';
import { classifyResponse, type RawResponse } from './classify.js';
import { DosError } from '../shared/errors.js';
import { tracerOf, tracingOn } from '../shared/tracing.js';

const tracer = tracerOf('shopify');

/** The caller's signal ended the call before it was sent. */
export class CallAborted extends DosError {
  constructor(operation: string) {
    super('CALL_ABORTED', `${operation} not sent: the caller stopped waiting`, { retriable: true });
  }
}

export const ADMIN_API_VERSION = '2026-10';

export interface SourceStoreConnection {
  /** `mainbrand.myshopify.com`. */
  readonly shop: string;
  readonly accessToken: string;
  /** Defaults to the version this writer's documents are validated against. */
  readonly apiVersion?: string;
  /** E.g. `http://127.0.0.1:4000/shops/mainbrand.myshopify.com` (simulator, proxy). */
  readonly adminApiBaseUrl?: string | null;
  /** Per-request deadline; a timed-out call is transient (outcome unknown). */
  readonly timeoutMs?: number;
  /** Retries of a THROTTLED call (never executed by Shopify, so always safe to resend). */
  readonly maxThrottleRetries?: number;
}

export interface AdminCallHooks {
  onCall?(operation: string, outcome: CallResult<unknown>['kind'], ms: number): void;
}

/** Per-call controls of the caller (the writer's apply of one record). */
export interface CallOptions {
  /** Ends pacing waits and THROTTLED resends at once: the call then throws CallAborted. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Runs right before each send, after every pacing wait: the last moment to find that this
   * call must not go out (a fenced writer). Whatever it throws is thrown by call().
   */
  readonly beforeSend?: (() => Promise<void>) | undefined;
}

/** What the apply logic needs from a source store: one paced, classified GraphQL call. */
export interface AdminGraphql {
  readonly shop: string;
  call<T>(operation: string, document: string, variables: Record<string, unknown>, options?: CallOptions): Promise<CallResult<T>>;
}

/** Cost assumed for an operation until the server has told us its requestedQueryCost. */
const DEFAULT_COST = 10;

export class PacedAdminClient implements AdminGraphql {
  readonly shop: string;
  private readonly client: AdminApiClient;
  private readonly pacer: Pacer;
  private readonly timeoutMs: number;
  private readonly maxThrottleRetries: number;
  private readonly hooks: AdminCallHooks;
  private readonly learnedCost = new Map<string, number>();

  constructor(connection: SourceStoreConnection, pacer: Pacer, hooks: AdminCallHooks = {}) {
    this.shop = connection.shop;
    this.pacer = pacer;
    this.timeoutMs = connection.timeoutMs ?? 15_000;
    this.maxThrottleRetries = connection.maxThrottleRetries ?? 20;
    this.hooks = hooks;
    const base = connection.adminApiBaseUrl?.replace(/\/+$/, '') ?? null;
    const shopPrefix = `https://${connection.shop}`;
    this.client = createAdminApiClient({
      storeDomain: connection.shop,
      apiVersion: connection.apiVersion ?? ADMIN_API_VERSION,
      accessToken: connection.accessToken,
      // We own retries: the client would resend a create after a network error.
      retries: 0,
      // The client warns about API versions newer than its own list; we pin the version on purpose.
      logger: () => undefined,
      ...(base
        ? {
            customFetchApi: (url: string, init?: Parameters<typeof fetch>[1]) =>
              fetch(url.startsWith(shopPrefix) ? base + url.slice(shopPrefix.length) : url, init),
          }
        : {}),
    });
  }

  async call<T>(operation: string, document: string, variables: Record<string, unknown>, options: CallOptions = {}): Promise<CallResult<T>> {
    if (!tracingOn()) return this.paced<T>(operation, document, variables, options);
    // A child of whatever span is active (the writer's apply): pacing waits included.
    return tracer.startActiveSpan(`shopify ${operation}`, { attributes: { 'shopify.shop': this.shop, 'shopify.operation': operation } }, async (span) => {
      try {
        const result = await this.paced<T>(operation, document, variables, options);
        span.setAttribute('shopify.result', result.kind);
        return result;
      } finally {
        span.end();
      }
    });
  }

  private async paced<T>(operation: string, document: string, variables: Record<string, unknown>, options: CallOptions): Promise<CallResult<T>> {
    for (let attempt = 0; ; attempt++) {
      const permit = await this.pacer.acquire(this.learnedCost.get(operation) ?? DEFAULT_COST, options.signal).catch((error: unknown) => {
        throw options.signal?.aborted ? new CallAborted(operation) : error;
      });
      try {
        if (options.signal?.aborted) throw new CallAborted(operation);
        await options.beforeSend?.();
      } catch (error) {
        permit.settle(null, true); // never sent: it cost nothing
        throw error;
      }
      const started = performance.now();
      const raw = await this.send(document, variables);
      const result = classifyResponse(raw);
      this.hooks.onCall?.(operation, result.kind, performance.now() - started);
      const cost = result.kind === 'ok' || result.kind === 'throttled' || result.kind === 'user-errors' ? result.cost : null;
      if (cost?.requestedQueryCost != null) this.learnedCost.set(operation, cost.requestedQueryCost);
      if (result.kind !== 'throttled') {
        permit.settle(cost);
        return result as CallResult<T>;
      }
      // The pacer now holds every request of this store for as long as Shopify implies;
      // the next acquire() waits for it.
      this.pacer.throttled(permit, result.cost, result.retryAfterMs);
      if (attempt >= this.maxThrottleRetries) return result;
    }
  }

  private async send(document: string, variables: Record<string, unknown>): Promise<RawResponse> {
    try {
      return await this.client.request(document, { variables, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      // The client catches fetch errors itself; this is a last line so nothing escapes raw.
      return { errors: { message: error instanceof Error ? error.message : String(error) } };
    }
  }
}
