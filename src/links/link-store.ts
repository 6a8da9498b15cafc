// Link state in Redis: one hash per origin key, `{prefix}link:{key}`.
import { Cluster } from 'ioredis';
import type { RedisClient } from '../shared/redis.js';
import type { SyncOutcome } from '../contracts/sync-event.js';
import { NO_LINK, type Link, type LinkReplay, type LinkStatus } from './link.js';

/** Hash field names, short because there is one hash per origin record. */
const F = {
  sourceDraftId: 'sid',
  sourceDraftName: 'sname',
  appliedVersion: 'ver',
  invoiceSent: 'inv',
  status: 'st',
  createIntentAt: 'intent',
  replayRawId: 'rid',
  replayEvents: 'rev',
  writtenAt: 'at',
} as const;

export interface LinkStoreOptions {
  /** E.g. `dos:writer:`; every key this store touches starts with it. */
  readonly prefix: string;
  /** Tombstones (deleted origins) expire after this long; live links never do. Default 90 days. */
  readonly tombstoneTtlSeconds?: number;
}

export class LinkStore {
  private readonly prefix: string;
  private readonly tombstoneTtlSeconds: number;

  constructor(
    private readonly redis: RedisClient,
    options: LinkStoreOptions,
  ) {
    this.prefix = options.prefix;
    this.tombstoneTtlSeconds = options.tombstoneTtlSeconds ?? 90 * 24 * 3600;
  }

  redisKey(originKey: string): string {
    return `${this.prefix}link:${originKey}`;
  }

  async get(originKey: string): Promise<Link> {
    return parseLink(await this.redis.hgetall(this.redisKey(originKey)));
  }

  /**
   * Links of a whole batch in one pipelined round trip. On a Redis Cluster the keys live in
   * different slots, so the reads go out together and auto-pipelining groups them per node.
   */
  async getMany(originKeys: readonly string[]): Promise<Map<string, Link>> {
    const out = new Map<string, Link>();
    if (originKeys.length === 0) return out;
    if (this.redis instanceof Cluster) {
      const hashes = await Promise.all(originKeys.map((key) => this.redis.hgetall(this.redisKey(key))));
      originKeys.forEach((key, i) => out.set(key, parseLink(hashes[i])));
      return out;
    }
    const pipeline = this.redis.pipeline();
    for (const key of originKeys) pipeline.hgetall(this.redisKey(key));
    const replies = (await pipeline.exec()) ?? [];
    originKeys.forEach((key, i) => {
      const [error, value] = replies[i] ?? [new Error('no reply'), null];
      if (error) throw error;
      out.set(key, parseLink(value as Record<string, string>));
    });
    return out;
  }

  /** Written before draftOrderCreate is sent. */
  async recordCreateIntent(originKey: string, at: number): Promise<void> {
    await this.redis.hset(this.redisKey(originKey), F.createIntentAt, String(at), F.writtenAt, String(Date.now()));
  }

  /** Replaces the link (clearing any create intent) atomically. */
  async write(originKey: string, link: Link): Promise<void> {
    const key = this.redisKey(originKey);
    const fields: Record<string, string> = {
      [F.status]: link.status,
      [F.invoiceSent]: link.invoiceSent ? '1' : '0',
      [F.writtenAt]: String(Date.now()),
    };
    if (link.sourceDraftId !== null) fields[F.sourceDraftId] = link.sourceDraftId;
    if (link.sourceDraftName !== null) fields[F.sourceDraftName] = link.sourceDraftName;
    if (link.appliedVersion !== null) fields[F.appliedVersion] = link.appliedVersion;
    if (link.createIntentAt !== null) fields[F.createIntentAt] = String(link.createIntentAt);
    if (link.replay !== null) {
      fields[F.replayRawId] = link.replay.rawId;
      fields[F.replayEvents] = JSON.stringify(link.replay.events.map((e) => [e.outcome, e.reason]));
    }
    const transaction = this.redis.multi().del(key).hset(key, fields);
    if (link.status === 'DELETED') transaction.expire(key, this.tombstoneTtlSeconds);
    const replies = await transaction.exec();
    const failed = replies?.find(([error]) => error !== null);
    if (!replies || failed) throw failed?.[0] ?? new Error('link write aborted');
  }
}

function parseLink(hash: Record<string, string> | null | undefined): Link {
  if (!hash || Object.keys(hash).length === 0) return NO_LINK;
  const intent = hash[F.createIntentAt];
  return {
    sourceDraftId: hash[F.sourceDraftId] ?? null,
    sourceDraftName: hash[F.sourceDraftName] ?? null,
    appliedVersion: hash[F.appliedVersion] ?? null,
    invoiceSent: hash[F.invoiceSent] === '1',
    status: parseStatus(hash[F.status]),
    createIntentAt: intent !== undefined && intent !== '' ? Number(intent) : null,
    replay: parseReplay(hash[F.replayRawId], hash[F.replayEvents]),
  };
}

/** Unreadable replay data only costs the re-publish, never the link. */
function parseReplay(rawId: string | undefined, events: string | undefined): LinkReplay | null {
  if (!rawId || !events) return null;
  try {
    const parsed: unknown = JSON.parse(events);
    if (!Array.isArray(parsed)) return null;
    const list = parsed.filter((e): e is [SyncOutcome, string | null] => Array.isArray(e) && typeof e[0] === 'string' && (typeof e[1] === 'string' || e[1] === null));
    return { rawId, events: list.map(([outcome, reason]) => ({ outcome, reason })) };
  } catch {
    return null;
  }
}

function parseStatus(value: string | undefined): LinkStatus {
  return value === 'COMPLETED' || value === 'DELETED' ? value : 'OPEN';
}
