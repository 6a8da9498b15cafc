// Who may read the status page: anyone on a loopback bind (token optional), only token holders
// on any other bind. The page shows customer-derived data (draft names, reasons), so an
// exposed bind without a token is refused at start-up rather than served open.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase().replace(/^\[(.*)\]$/, '$1'));
}

/** The token to enforce (null: none needed); throws when a non-loopback bind has none. */
export function tokenPolicy(host: string, token: string | undefined): string | null {
  const t = token?.trim() ? token : null;
  if (!t && !isLoopback(host)) {
    throw new Error(`status page bound to ${host} (not localhost) needs a token: set STATUS_TOKEN`);
  }
  return t;
}

/** The token a request presents: `Authorization: Bearer …`, else `?token=…`. */
export function presentedToken(authorization: string | undefined, query: unknown): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (bearer) return bearer[1]!.trim();
  if (query && typeof query === 'object' && 'token' in query) {
    const t = query.token;
    if (typeof t === 'string') return t;
  }
  return null;
}

/** Constant-time: both sides hashed first, so neither content nor length leaks through timing. */
export function tokenMatches(presented: string | null, expected: string): boolean {
  if (presented === null) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * The name of the write token presented as `Authorization: Bearer …` (never `?token=`: a
 * write is never made from a link), or null. Every token is compared, so timing tells nothing.
 */
export function writerOf(authorization: string | undefined, writeTokens: readonly { readonly name: string; readonly token: string }[]): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  const presented = bearer ? bearer[1]!.trim() : null;
  let who: string | null = null;
  for (const { name, token } of writeTokens) if (tokenMatches(presented, token) && who === null) who = name;
  return who;
}

/** Checks every request, ops routes included (401 before any handler runs); any of `tokens` reads. */
export function requireToken(app: FastifyInstance, tokens: readonly string[]): void {
  app.addHook('onRequest', async (req, reply) => {
    const presented = presentedToken(req.headers.authorization, req.query);
    if (tokens.map((token) => tokenMatches(presented, token)).includes(true)) return;
    return reply.code(401).header('www-authenticate', 'Bearer realm="draft-order-sync status"').send({ status: 'unauthorized' });
  });
}
