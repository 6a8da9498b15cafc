// A tiny HTTP endpoint that records webhook requests (raw body bytes + headers) and answers
// with scripted statuses — for tests of the simulator and of services that receive webhooks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  rawBody: Buffer;
  headers: IncomingMessage['headers'];
  topic: string;
  webhookId: string;
  eventId: string;
  status: number;
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next requests with these statuses (then `defaultStatus`). */
  respondWith(...statuses: number[]): void;
  defaultStatus: number;
  /** Hook run for each request before answering (e.g. pass req/res to @shopify/shopify-api). */
  onRequest?: (req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => Promise<boolean> | boolean;
  /** Resolves once `predicate(received)` holds; rejects after `timeoutMs`. */
  waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const queue: number[] = [];
  const waiters = new Set<() => void>();
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    defaultStatus: 200,
    respondWith: (...statuses) => queue.push(...statuses),
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate(receiver.received)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(receiver.received);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${receiver.received.length} received)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const header = (req: IncomingMessage, name: string): string => {
    const value = req.headers[name];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const rawBody = Buffer.concat(chunks);
        const status = queue.shift() ?? receiver.defaultStatus;
        const handled = receiver.onRequest ? await receiver.onRequest(req, res, rawBody) : false;
        if (!handled) res.writeHead(status).end();
        receiver.received.push({
          rawBody,
          headers: req.headers,
          topic: header(req, 'x-shopify-topic'),
          webhookId: header(req, 'x-shopify-webhook-id'),
          eventId: header(req, 'x-shopify-event-id'),
          status: handled ? res.statusCode : status,
          receivedAt: Date.now(),
        });
        for (const waiter of [...waiters]) waiter();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  return receiver;
}
