// When each store last sent us a verified webhook: the live mapper records the newest
// `receivedAt` per shop of each consumed batch (one round trip), the status page and
// `draft-sync status` read it, so a destination that went silent is visible. Replays and
// backfills do not count: only records that came in as webhooks.
import type { RawWebhookEnvelope } from '../contracts/raw-envelope.js';
import type { RedisClient } from '../shared/redis.js';

/** shop → epoch ms of the newest webhook in a batch. */
export type LastWebhooks = Record<string, number>;

export function lastWebhookKey(opsPrefix: string): string {
  return `${opsPrefix}stores:last-webhook`;
}

/** Folds one envelope into a batch's newest-per-shop. */
export function noteWebhook(last: LastWebhooks, envelope: Pick<RawWebhookEnvelope, 'source' | 'shop' | 'receivedAt'>): void {
  if (envelope.source !== 'webhook') return;
  const shop = envelope.shop.toLowerCase();
  const at = Number(envelope.receivedAt);
  if (!(at <= (last[shop] ?? 0))) last[shop] = at;
}

/** Times only move forward (partitions are consumed concurrently, by several instances). */
const MAX_SCRIPT = `for i = 1, #ARGV, 2 do local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0'); if cur < tonumber(ARGV[i + 1]) then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end end; return 1`;

export async function recordLastWebhooks(redis: RedisClient, opsPrefix: string, last: LastWebhooks): Promise<void> {
  const entries = Object.entries(last);
  if (entries.length === 0) return;
  await redis.eval(MAX_SCRIPT, 1, lastWebhookKey(opsPrefix), ...entries.flatMap(([shop, at]) => [shop, String(at)]));
}

/** shop → ISO time of its last verified webhook. */
export async function readLastWebhooks(redis: RedisClient, opsPrefix: string): Promise<Record<string, string>> {
  const hash = await redis.hgetall(lastWebhookKey(opsPrefix));
  return Object.fromEntries(Object.entries(hash).map(([shop, ms]) => [shop, new Date(Number(ms)).toISOString()]));
}
