// The webhook endpoint: verify the raw body, then put it on the raw topic; 200 only when durable.
import { randomUUID } from 'node:crypto';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { deadLetterFor, webhookSource } from '../../../src/contracts/dead-letter.js';
import { rawEnvelope } from '../../../src/contracts/raw-envelope.js';
import { originIdOf, originKindOf } from '../../../src/domain/envelope.js';
import { WEBHOOK_PATH, webhookSecretsFor, type AppConfig } from '../../../src/shared/config/index.js';
import { registerOpsRoutes } from '../../../src/shared/http/ops-routes.js';
import { quietRequestLogs } from '../../../src/shared/http/quiet-requests.js';
import type { Logger } from '../../../src/shared/log.js';
import type { RawPublisher } from '../../../src/shared/raw-topic.js';
import { headersFor, inSpan, tracerOf, tracingOn } from '../../../src/shared/tracing.js';
import { verifyShopifyHmac } from './hmac.js';
import type { IngestMetrics, IngestOutcome } from './metrics.js';
import { readWebhookHeaders } from './webhook-headers.js';

const tracer = tracerOf('ingest');

export interface IngestServerDeps {
  readonly config: AppConfig;
  readonly publisher: RawPublisher;
  readonly metrics: IngestMetrics;
  readonly metricsRegistry: Registry;
  readonly logger: Logger;
  readonly ready: () => Promise<boolean>;
  /** Largest accepted body; larger ones are answered 413 before anything reads them whole. */
  readonly bodyLimitBytes: number;
  /** Longest wait for Kafka's acknowledgement; Shopify gives up after 5 s in all. */
  readonly publishTimeoutMs: number;
}

export function buildIngestServer(deps: IngestServerDeps): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app: FastifyInstance = Fastify({ loggerInstance, bodyLimit: deps.bodyLimitBytes, logController: quietRequestLogs() });
  // The body stays raw bytes: the HMAC is over exactly what Shopify sent.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  registerOpsRoutes(app, { ready: deps.ready, metrics: deps.metricsRegistry });

  const answer = (reply: FastifyReply, code: number, outcome: IngestOutcome, topic: string, message: string): FastifyReply => {
    deps.metrics.requests.inc({ outcome, topic });
    return reply.code(code).send({ status: outcome, message });
  };

  app.post(WEBHOOK_PATH, async (req, reply) => {
    const headers = readWebhookHeaders(req.headers);
    if (!headers.ok) return answer(reply, 400, 'bad_request', 'unknown', headers.reason);
    const { topic, shop } = headers.value;
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) return answer(reply, 400, 'bad_request', topic, 'empty body');

    const secrets = webhookSecretsFor(deps.config, shop);
    if (secrets.length === 0) return answer(reply, 401, 'unauthorized', topic, 'unknown shop');
    if (!verifyShopifyHmac(body, headers.value.hmac, secrets)) return answer(reply, 401, 'unauthorized', topic, 'invalid HMAC');

    // Verified from here on.
    const originKind = originKindOf(topic);
    if (!originKind) return answer(reply, 200, 'unhandled_topic', topic, 'topic not handled; acknowledged');

    const started = process.hrtime.bigint();
    const id = originIdOf(body);
    try {
      if (!id.ok) {
        // Signed by Shopify but not keyable: kept on the DLQ with the reason, not bounced
        // (Shopify would retry it for hours and then delete the subscription).
        const letter = deadLetterFor('ingest', webhookSource(body), `${topic}: ${id.reason}`, { id: headers.value.webhookId });
        await deps.publisher.publishDeadLetter(letter, deps.publishTimeoutMs);
        req.log.warn({ shop, topic, webhookId: headers.value.webhookId, reason: id.reason }, 'webhook dead-lettered');
        return answer(reply, 200, 'dead_lettered', topic, id.reason);
      }
      const envelope = rawEnvelope({
        id: headers.value.webhookId || randomUUID(),
        eventId: headers.value.eventId,
        topic,
        shop,
        apiVersion: headers.value.apiVersion,
        triggeredAt: headers.value.triggeredAt,
        originKind,
        originId: id.value,
        body,
      });
      if (tracingOn()) {
        // The trace of this origin record version starts here; the raw record carries it on.
        const span = tracer.startSpan(`webhook ${topic}`, { attributes: { 'shopify.shop': shop, 'shopify.topic': topic, 'dos.key': `${shop}/${originKind}/${id.value}` } });
        await inSpan(ROOT_CONTEXT, span, () => deps.publisher.publish(envelope, deps.publishTimeoutMs, headersFor(ROOT_CONTEXT, span)));
      } else {
        await deps.publisher.publish(envelope, deps.publishTimeoutMs);
      }
    } catch (err) {
      req.log.error({ err, shop, topic }, 'webhook not durable; answering 503 so Shopify retries');
      return answer(reply, 503, 'unavailable', topic, 'not stored; retry later');
    } finally {
      deps.metrics.produceSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
    return answer(reply, 200, 'accepted', topic, 'stored');
  });

  // Only POST carries a webhook.
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: WEBHOOK_PATH,
    handler: async (_req, reply) => reply.code(405).header('allow', 'POST').send({ status: 'method_not_allowed' }),
  });
  return app;
}
