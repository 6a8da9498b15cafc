import { describe, expect, it } from 'vitest';
import { classifyResponse } from './classify.js';

const cost = {
  requestedQueryCost: 10,
  actualQueryCost: null,
  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 4, restoreRate: 100 },
};

function headers(values: Record<string, string>): { get(name: string): string | null } {
  return { get: (name) => values[name.toLowerCase()] ?? null };
}

describe('classifyResponse', () => {
  it('ok with data and cost', () => {
    const result = classifyResponse({ data: { x: 1 }, extensions: { cost } });
    expect(result).toEqual({ kind: 'ok', data: { x: 1 }, cost: { ...cost } });
  });

  it('THROTTLED as HTTP 200 GraphQL error code', () => {
    const result = classifyResponse({
      extensions: { cost },
      errors: { networkStatusCode: 200, message: 'GraphQL Client: An error occurred', graphQLErrors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] },
    });
    expect(result).toMatchObject({ kind: 'throttled', cost: { throttleStatus: { currentlyAvailable: 4 } }, retryAfterMs: null });
  });

  it('HTTP 429 is throttled, Retry-After read as seconds', () => {
    const result = classifyResponse({ errors: { networkStatusCode: 429, message: 'Too Many Requests', response: { headers: headers({ 'retry-after': '2' }) } } });
    expect(result).toEqual({ kind: 'throttled', cost: null, retryAfterMs: 2000 });
  });

  it('5xx and 408 are transient', () => {
    expect(classifyResponse({ errors: { networkStatusCode: 503, message: 'Service Unavailable' } })).toMatchObject({ kind: 'transient', status: 503 });
    expect(classifyResponse({ errors: { networkStatusCode: 500 } })).toMatchObject({ kind: 'transient', status: 500 });
    expect(classifyResponse({ errors: { networkStatusCode: 408 } })).toMatchObject({ kind: 'transient', status: 408 });
  });

  it('a network error or timeout (no HTTP status) is transient', () => {
    expect(classifyResponse({ errors: { message: 'fetch failed' } })).toEqual({ kind: 'transient', reason: 'fetch failed', status: null });
    expect(classifyResponse({ errors: { message: 'The operation was aborted due to timeout' } })).toMatchObject({ kind: 'transient' });
  });

  it('Shopify-side GraphQL error codes are transient, other GraphQL errors permanent', () => {
    expect(
      classifyResponse({ errors: { networkStatusCode: 200, graphQLErrors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } }),
    ).toMatchObject({ kind: 'transient' });
    expect(
      classifyResponse({ errors: { networkStatusCode: 200, graphQLErrors: [{ message: "Field 'nope' doesn't exist on type 'DraftOrder'" }] } }),
    ).toEqual({ kind: 'permanent', reason: "Field 'nope' doesn't exist on type 'DraftOrder'", status: 200 });
  });

  it('other 4xx are permanent', () => {
    expect(classifyResponse({ errors: { networkStatusCode: 401, message: 'Unauthorized' } })).toMatchObject({ kind: 'permanent', status: 401 });
  });
});
