// The Admin GraphQL requester the operator commands read stores with: the paced client
// (throttle-aware: it waits out THROTTLED replies and paces from throttleStatus) plus retries
// of transient failures — reads are safe to resend.
import type { StoreConfig } from '../shared/config/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { backoffDelay } from '../shared/retry.js';
import { PacedAdminClient } from './admin-client.js';
import { describeFailure } from './call-result.js';
import { Pacer } from './pacer.js';
import type { GraphqlRequest } from '../shared/graphql-request.js';

export type { GraphqlRequest };

const TRANSIENT_RETRIES = 5;
const READ_BACKOFF = { baseDelayMs: 250, maxDelayMs: 8000 };

/** A paced client of one store, in its API version unless another is given (webhook subscriptions). */
export function pacedClient(store: StoreConfig, apiVersion = store.apiVersion, clock: Clock = systemClock): PacedAdminClient {
  return new PacedAdminClient({ shop: store.shop, accessToken: store.adminApiToken, apiVersion, adminApiBaseUrl: store.adminApiBaseUrl }, new Pacer({ clock }));
}

export function adminRequester(
  store: StoreConfig,
  /** Names the query for the client's learned cost per operation. */
  operation: string,
  clock: Clock = systemClock,
): GraphqlRequest {
  const client = pacedClient(store, store.apiVersion, clock);
  return async (query, variables) => {
    for (let attempt = 0; ; attempt++) {
      const result = await client.call<unknown>(operation, query, variables);
      if (result.kind === 'ok') return result.data;
      if ((result.kind === 'transient' || result.kind === 'throttled') && attempt < TRANSIENT_RETRIES) {
        await clock.sleep(backoffDelay(READ_BACKOFF, attempt));
        continue;
      }
      throw new Error(`${store.shop}: ${describeFailure(result)}`);
    }
  };
}
