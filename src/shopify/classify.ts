// Turns what @shopify/admin-api-client returns into a CallResult. Pure.
import type { CallCost, CallResult, ThrottleStatus } from './call-result.js';

/** The parts of the client's ClientResponse we read (kept structural so tests can build them). */
export interface RawResponse {
  readonly data?: unknown;
  readonly extensions?: { readonly cost?: unknown; readonly [key: string]: unknown };
  readonly errors?: {
    readonly networkStatusCode?: number;
    readonly message?: string;
    readonly graphQLErrors?: readonly { readonly message: string; readonly extensions?: { readonly code?: string } }[];
    readonly response?: { readonly headers: { get(name: string): string | null } };
  };
}

/** GraphQL error codes Shopify uses for failures on its side, worth retrying. */
const TRANSIENT_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);

export function classifyResponse(raw: RawResponse): CallResult<unknown> {
  const cost = readCost(raw.extensions?.cost);
  const errors = raw.errors;
  if (!errors) return { kind: 'ok', data: raw.data, cost };

  const status = errors.networkStatusCode ?? null;
  const graphQLErrors = errors.graphQLErrors ?? [];
  if (status === 429 || graphQLErrors.some((e) => e.extensions?.code === 'THROTTLED')) {
    return { kind: 'throttled', cost, retryAfterMs: retryAfterMs(errors.response?.headers.get('retry-after') ?? null) };
  }
  // No HTTP status at all: the request never got a reply (network error, abort/timeout).
  if (status === null) return { kind: 'transient', reason: errors.message ?? 'network error', status: null };
  if (status >= 500 || status === 408) return { kind: 'transient', reason: errors.message ?? 'server error', status };
  if (graphQLErrors.length > 0) {
    const reason = graphQLErrors.map((e) => e.message).join('; ');
    if (graphQLErrors.every((e) => TRANSIENT_CODES.has(e.extensions?.code ?? ''))) return { kind: 'transient', reason, status };
    return { kind: 'permanent', reason, status };
  }
  return { kind: 'permanent', reason: errors.message ?? 'request failed', status };
}

export function readCost(value: unknown): CallCost | null {
  if (!isRecord(value)) return null;
  const throttle = value['throttleStatus'];
  let throttleStatus: ThrottleStatus | null = null;
  if (isRecord(throttle)) {
    const maximumAvailable = numberOrNull(throttle['maximumAvailable']);
    const currentlyAvailable = numberOrNull(throttle['currentlyAvailable']);
    const restoreRate = numberOrNull(throttle['restoreRate']);
    if (maximumAvailable !== null && currentlyAvailable !== null && restoreRate !== null) {
      throttleStatus = { maximumAvailable, currentlyAvailable, restoreRate };
    }
  }
  return {
    requestedQueryCost: numberOrNull(value['requestedQueryCost']),
    actualQueryCost: numberOrNull(value['actualQueryCost']),
    throttleStatus,
  };
}

/** Retry-After is seconds per HTTP (the client library misreads it as milliseconds). */
function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
