// Raw Admin GraphQL and control-API calls for the simulator's tests: status and body as sent,
// without a client library's error handling in between.
import type { Simulator } from '../simulator.js';

export interface GraphQLAnswer {
  status: number;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] | string;
    extensions?: Record<string, unknown>;
  };
}

export async function gql(
  sim: Simulator,
  shop: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  version = '2026-10',
): Promise<GraphQLAnswer> {
  const res = await fetch(sim.graphqlUrl(shop, version), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, json: (await res.json()) as GraphQLAnswer['json'] };
}

export async function control<T = Record<string, unknown>>(sim: Simulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${sim.url}/_control${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}
