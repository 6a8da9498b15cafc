// The control API (/_control/...): create and seed stores, manage their access tokens and API
// limits, act as merchant or customer, read a store's state, set throttle and fault parameters,
// steer webhook delivery, reset.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { UserErrorsError, type SimulatedShop } from '../shop.js';
import { isWebhookTopic } from '../store/model.js';
import type { DeliveryState } from '../webhooks/dispatcher.js';
import type { ControlDeps } from './control-deps.js';
import {
  customerSeed,
  failNextBody,
  faultsBody,
  idleBody,
  invoiceBody,
  limitsBody,
  placeOrderBody,
  productPatch,
  productSeed,
  releaseBody,
  scopesBody,
  storeBody,
  subscriptionBody,
  subscriptionPatch,
  throttleBody,
  tokenBody,
  webhookConfigBody,
  webhookFaultsBody,
  webhookNextBody,
} from './control-schemas.js';

type ShopParams = { shop: string; id?: string; token?: string };
type Req = FastifyRequest<{ Params: ShopParams; Querystring: Record<string, string | undefined> }>;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

function parseJson(body: unknown): unknown {
  if (typeof body !== 'string' || !body.trim()) return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new ControlError(400, 'invalid JSON body');
  }
}

function bodyOf<T>(schema: z.ZodType<T>, request: FastifyRequest): T {
  const result = schema.safeParse(parseJson(request.body));
  if (!result.success) throw new ControlError(400, 'invalid body', z.treeifyError(result.error));
  return result.data;
}

function numericId(request: Req): number {
  const id = Number(request.params.id);
  if (!Number.isSafeInteger(id)) throw new ControlError(400, `invalid id ${request.params.id}`);
  return id;
}

export function registerControlRoutes(app: FastifyInstance, sim: ControlDeps): void {
  const shopOf = (request: Req): SimulatedShop => {
    const shop = sim.findStore(request.params.shop);
    if (!shop) throw new ControlError(404, `no simulated store ${request.params.shop}`);
    return shop;
  };

  /** Wraps a handler: maps ControlError/UserErrorsError/GraphQL input errors to JSON answers. */
  const route =
    (status: number, handler: (request: Req) => unknown) =>
    async (request: Req, reply: FastifyReply): Promise<void> => {
      try {
        const result = await handler(request);
        await reply.code(status).send(result ?? { ok: true });
      } catch (error: unknown) {
        if (error instanceof ControlError) await reply.code(error.status).send({ error: error.message, details: error.details });
        else if (error instanceof UserErrorsError) await reply.code(422).send({ userErrors: error.userErrors });
        else if (error instanceof GraphQLError || error instanceof Error) await reply.code(400).send({ error: error.message });
        else throw error;
      }
    };

  const p = '/_control';
  app.get(`${p}/health`, route(200, () => ({ ok: true })));

  // ---- stores
  app.get(`${p}/stores`, route(200, () => sim.stores().map((s) => sim.info(s.shop))));
  app.post(
    `${p}/stores`,
    route(201, (r) => sim.info(sim.createStore(bodyOf(storeBody, r)).shop)),
  );
  app.get(`${p}/stores/:shop`, route(200, (r) => ({ ...sim.info(shopOf(r).shop), ...shopOf(r).snapshot() })));
  app.delete(`${p}/stores/:shop`, route(200, (r) => ({ removed: sim.removeStore(shopOf(r).shop) })));
  app.post(`${p}/stores/:shop/reset`, route(200, (r) => shopOf(r).reset()));
  app.post(`${p}/reset`, route(200, () => sim.reset()));

  // ---- access tokens & API limits
  const tokenOf = (r: Req): string => {
    const token = r.params.token ?? '';
    if (!shopOf(r).accessTokens().some((t) => t.accessToken === token)) throw new ControlError(404, `no access token ${token}`);
    return token;
  };
  app.get(`${p}/stores/:shop/tokens`, route(200, (r) => shopOf(r).accessTokens()));
  app.post(
    `${p}/stores/:shop/tokens`,
    route(201, (r) => {
      const body = bodyOf(tokenBody, r);
      const token = body.accessToken ?? `shpat_${randomBytes(16).toString('hex')}`;
      if (shopOf(r).accessTokens().some((t) => t.accessToken === token)) throw new ControlError(409, `access token ${token} already exists`);
      return shopOf(r).addAccessToken(token, body.scopes);
    }),
  );
  app.put(`${p}/stores/:shop/tokens/:token`, route(200, (r) => shopOf(r).setAccessScopes(tokenOf(r), bodyOf(scopesBody, r).scopes)));
  app.delete(`${p}/stores/:shop/tokens/:token`, route(200, (r) => shopOf(r).revokeAccessToken(tokenOf(r))));
  app.get(`${p}/stores/:shop/limits`, route(200, (r) => shopOf(r).limits));
  app.put(`${p}/stores/:shop/limits`, route(200, (r) => shopOf(r).setLimits(bodyOf(limitsBody, r))));

  // ---- catalog & customers
  app.post(
    `${p}/stores/:shop/products`,
    route(201, (r) => {
      const raw = parseJson(r.body);
      const seeds = z.array(productSeed).parse(Array.isArray(raw) ? raw : [raw]);
      return shopOf(r).seedProducts(seeds);
    }),
  );
  app.put(
    `${p}/stores/:shop/products/:id`,
    route(200, (r) => {
      const product = shopOf(r).store.updateProduct(numericId(r), bodyOf(productPatch, r));
      if (!product) throw new ControlError(404, 'no such product');
      return product;
    }),
  );
  app.delete(
    `${p}/stores/:shop/products/:id`,
    route(200, (r) => ({ deleted: shopOf(r).store.deleteProduct(numericId(r)) })),
  );
  app.post(`${p}/stores/:shop/customers`, route(201, (r) => shopOf(r).addCustomer(bodyOf(customerSeed, r))));

  // ---- drafts & orders (emit webhooks)
  const draftInput = (r: Req): Record<string, unknown> => {
    const raw = parseJson(r.body);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ControlError(400, 'body must be a DraftOrderInput object');
    return raw as Record<string, unknown>;
  };
  app.post(`${p}/stores/:shop/draft-orders`, route(201, (r) => shopOf(r).createDraft(draftInput(r))));
  app.put(`${p}/stores/:shop/draft-orders/:id`, route(200, (r) => shopOf(r).updateDraft(numericId(r), draftInput(r))));
  app.post(`${p}/stores/:shop/draft-orders/:id/complete`, route(200, (r) => shopOf(r).completeDraft(numericId(r))));
  app.post(
    `${p}/stores/:shop/draft-orders/:id/invoice`,
    route(200, (r) => {
      const email = bodyOf(invoiceBody, r);
      return shopOf(r).sendInvoice(numericId(r), Object.keys(email).length ? email : undefined);
    }),
  );
  app.delete(`${p}/stores/:shop/draft-orders/:id`, route(200, (r) => shopOf(r).deleteDraft(numericId(r))));
  app.post(`${p}/stores/:shop/orders`, route(201, (r) => shopOf(r).placeOrder(bodyOf(placeOrderBody, r))));

  // ---- webhook subscriptions
  app.get(`${p}/stores/:shop/webhook-subscriptions`, route(200, (r) => shopOf(r).store.subscriptions()));
  app.post(
    `${p}/stores/:shop/webhook-subscriptions`,
    route(201, (r) => {
      const body = bodyOf(subscriptionBody, r);
      return shopOf(r).subscribe(body.topic, body.uri, { includeFields: body.includeFields, name: body.name });
    }),
  );
  app.put(`${p}/stores/:shop/webhook-subscriptions/:id`, route(200, (r) => shopOf(r).updateSubscription(numericId(r), bodyOf(subscriptionPatch, r))));
  app.delete(
    `${p}/stores/:shop/webhook-subscriptions/:id`,
    route(200, (r) => ({ deleted: shopOf(r).store.removeSubscription(numericId(r)) })),
  );

  // ---- throttle & faults
  app.get(`${p}/stores/:shop/throttle`, route(200, (r) => shopOf(r).throttleStatus()));
  app.put(`${p}/stores/:shop/throttle`, route(200, (r) => shopOf(r).setThrottle(bodyOf(throttleBody, r))));
  app.get(`${p}/stores/:shop/faults`, route(200, (r) => ({ ...shopOf(r).faults.current, next: shopOf(r).faults.pending() })));
  app.put(`${p}/stores/:shop/faults`, route(200, (r) => shopOf(r).setFaults(bodyOf(faultsBody, r))));
  app.post(
    `${p}/stores/:shop/faults/next`,
    route(200, (r) => {
      const body = bodyOf(failNextBody, r);
      shopOf(r).failNext(body.kind, body.count ?? 1, body.match, body.status);
      return { next: shopOf(r).faults.pending() };
    }),
  );
  app.get(`${p}/stores/:shop/webhook-faults`, route(200, (r) => shopOf(r).webhookFaults.current));
  app.put(`${p}/stores/:shop/webhook-faults`, route(200, (r) => shopOf(r).setWebhookFaults(bodyOf(webhookFaultsBody, r))));
  app.post(
    `${p}/stores/:shop/webhook-faults/next`,
    route(200, (r) => {
      const body = bodyOf(webhookNextBody, r);
      const faults = shopOf(r).webhookFaults;
      const count = body.count ?? 1;
      if (body.kind === 'drop') faults.dropNext(count);
      else if (body.kind === 'hold') faults.holdNext(count);
      else faults.duplicateNext(count);
      return undefined;
    }),
  );

  // ---- webhook delivery
  app.get(
    `${p}/webhooks/deliveries`,
    route(200, (r) => {
      const topic = r.query['topic'];
      if (topic !== undefined && !isWebhookTopic(topic)) throw new ControlError(400, `unknown topic ${topic}`);
      return sim.webhooks.deliveries({
        shop: r.query['shop'],
        topic,
        state: r.query['state'] as DeliveryState | undefined,
        eventId: r.query['eventId'],
      });
    }),
  );
  app.post(
    `${p}/webhooks/idle`,
    route(200, async (r) => {
      try {
        await sim.webhooks.idle(bodyOf(idleBody, r).timeoutMs);
      } catch (error: unknown) {
        throw new ControlError(504, error instanceof Error ? error.message : String(error));
      }
      return { idle: true };
    }),
  );
  app.post(`${p}/webhooks/release`, route(200, async (r) => ({ released: await sim.webhooks.release(bodyOf(releaseBody, r)) })));
  app.post(`${p}/webhooks/retry-now`, route(200, () => sim.webhooks.retryNow()));
  app.put(`${p}/webhooks/config`, route(200, (r) => sim.webhooks.configure(bodyOf(webhookConfigBody, r))));
}
