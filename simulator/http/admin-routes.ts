// HTTP adapter for the Admin GraphQL API: shop by Host header or /shops/{shop} prefix, access
// token check (unknown or revoked → 401; the token's scopes go to the resolvers), Admin API
// fault injection, then the request pipeline in graphql/.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { FaultDecision } from '../core/faults.js';
import type { AccessRules } from '../graphql/access.js';
import { prepareAdminRequest, type AdminGraphQLResponse, type GraphQLRequestBody } from '../graphql/execute-request.js';
import { Views } from '../graphql/views.js';
import type { SimulatedShop } from '../shop.js';

export interface AdminRouteDeps {
  schema: GraphQLSchema;
  access: AccessRules;
  shopOf: (shop: string) => SimulatedShop | undefined;
}

const INVALID_TOKEN = '[API] Invalid API key or access token (unrecognized login or wrong password)';

function parseBody(request: FastifyRequest): GraphQLRequestBody | undefined {
  const raw = request.body;
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : undefined;
  if (text === undefined) return {};
  if ((request.headers['content-type'] ?? '').includes('application/graphql')) return { query: text };
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function destroyConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  request.raw.socket.destroy();
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  const handle = async (request: FastifyRequest<{ Params: { shop?: string; version: string } }>, reply: FastifyReply): Promise<void> => {
    const { version } = request.params;
    const shopName = request.params.shop ?? (request.headers.host ?? '').split(':')[0] ?? '';
    const shop = deps.shopOf(shopName);
    void reply.header('X-Request-Id', randomUUID());
    if (!shop) {
      await reply.code(404).send({ errors: 'Not Found' });
      return;
    }
    const header = request.headers['x-shopify-access-token'];
    const scopes = shop.authenticate(typeof header === 'string' ? header : undefined);
    if (!scopes) {
      await reply.code(401).send({ errors: INVALID_TOKEN });
      return;
    }
    void reply.header('X-Shopify-API-Version', version);
    shop.stats.requests++;

    const body = parseBody(request);
    if (!body) {
      await reply.code(400).send({ errors: 'Invalid JSON in request body' });
      return;
    }
    const prepared = prepareAdminRequest(
      {
        schema: deps.schema,
        access: deps.access,
        bucket: shop.bucket,
        context: () => ({
          store: shop.store,
          views: new Views(shop.store),
          apiVersion: version,
          scopes,
          paginationLimit: shop.limits.paginationLimit,
          subscriptionPolicy: shop.subscriptionPolicy(version),
          searchReports: [],
          countedCost: 0,
          searchLagMs: shop.faults.current.searchLagMs,
        }),
      },
      body,
    );
    const operation = prepared.ok ? prepared.prepared.operationType : 'query';
    const decision: FaultDecision = shop.faults.decide(operation);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);

    switch (decision.fault?.kind) {
      case 'serverError':
        shop.stats.serverErrors++;
        await reply.code(decision.fault.status).send({ errors: decision.fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error' });
        return;
      case 'drop':
        shop.stats.dropped++;
        destroyConnection(request, reply);
        return;
      default:
        break;
    }

    let response: AdminGraphQLResponse;
    if (prepared.ok) {
      response = prepared.prepared.run();
      if (operation === 'mutation') shop.stats.mutations++;
      else shop.stats.queries++;
    } else {
      response = prepared.response;
    }
    if (response.throttled) shop.stats.throttled++;

    if (decision.fault?.kind === 'lostReply') {
      shop.stats.lostReplies++;
      destroyConnection(request, reply); // applied, but the client never hears about it
      return;
    }
    await reply.code(response.status).header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(response.body));
  };

  app.post('/admin/api/:version/graphql.json', handle);
  app.post('/shops/:shop/admin/api/:version/graphql.json', handle);
}
