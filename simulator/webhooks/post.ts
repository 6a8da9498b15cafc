// One webhook HTTP POST, without connection reuse (so receivers can shut down promptly) and
// with Shopify's overall deadline. Redirects are not followed: only 2xx counts as delivered.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostResult {
  status?: number;
  error?: string;
}

export function postWebhook(uri: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      resolve({ error: `invalid address ${uri}` });
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = send(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      finish({ error: `timeout after ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('response', (res) => {
      res.resume(); // drain; the answer body does not matter
      res.on('end', () => finish({ status: res.statusCode }));
      res.on('error', (e) => finish({ status: res.statusCode, error: e.message }));
    });
    req.on('error', (e) => finish({ error: e.message }));
    req.end(body);
  });
}
