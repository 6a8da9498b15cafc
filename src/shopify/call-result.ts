// The typed outcome of one Admin API call. Nothing raw is thrown past the adapter:
// callers branch on `kind`.

/** A mutation payload's `userErrors` entry (Shopify gives no code). */
export interface UserError {
  readonly field: readonly string[] | null;
  readonly message: string;
}

export interface ThrottleStatus {
  readonly maximumAvailable: number;
  readonly currentlyAvailable: number;
  readonly restoreRate: number;
}

export interface CallCost {
  readonly requestedQueryCost: number | null;
  readonly actualQueryCost: number | null;
  readonly throttleStatus: ThrottleStatus | null;
}

export type CallResult<T> =
  | { readonly kind: 'ok'; readonly data: T; readonly cost: CallCost | null }
  /** The payload's userErrors: the input was refused. Permanent. */
  | { readonly kind: 'user-errors'; readonly userErrors: readonly UserError[]; readonly cost: CallCost | null }
  /** THROTTLED (HTTP 200 error code, or HTTP 429): wait and retry. */
  | { readonly kind: 'throttled'; readonly cost: CallCost | null; readonly retryAfterMs: number | null }
  /** Network error, timeout, 5xx: the request may or may not have been applied. */
  | { readonly kind: 'transient'; readonly reason: string; readonly status: number | null }
  /** Any other GraphQL or HTTP error: retrying will not help. */
  | { readonly kind: 'permanent'; readonly reason: string; readonly status: number | null };

export type FailedCall = Exclude<CallResult<unknown>, { kind: 'ok' }>;

export function describeFailure(result: FailedCall): string {
  switch (result.kind) {
    case 'user-errors':
      return 'userErrors: ' + result.userErrors.map((e) => (e.field?.length ? `${e.field.join('.')}: ${e.message}` : e.message)).join('; ');
    case 'throttled':
      return 'THROTTLED';
    case 'transient':
    case 'permanent':
      return result.status !== null ? `HTTP ${result.status}: ${result.reason}` : result.reason;
  }
}
