// Link state in Redis: one hash per origin key, `{prefix}link:{key}`. Every write is a
// compare-and-set on that one key (so it works on a Redis Cluster): it succeeds only if the
// writer's generation is not older than the link's and its version not older than the stored one.
import { Cluster, type Result } from 'ioredis';
import type { RedisClient } from '../shared/redis.js';
import { scanKeys } from '../shared/redis-scan.js';
import type { SyncOutcome } from '../contracts/sync-event.js';
import { NO_LINK, type Link, type LinkReplay, type LinkStatus, type SourceEditState } from './link.js';

/** Hash field names, short because there is one hash per origin record. */
const F = {
  sourceDraftId: 'sid',
  sourceDraftName: 'sname',
  appliedVersion: 'ver',
  /** `appliedVersion` as epoch ms: what the script compares (offsets make text compare unsafe). */
  appliedVersionMs: 'vms',
  invoiceSent: 'inv',
  status: 'st',
  createIntentAt: 'intent',
  writeIntentAt: 'wint',
  replayRawId: 'rid',
  replayEvents: 'rev',
  writtenAt: 'at',
  generation: 'gen',
  fingerprint: 'fp',
  copyUpdatedAt: 'cupd',
  sourceEdited: 'sed',
} as const;

/**
 * KEYS[1] the link. ARGV: mode (`intent` adds fields, `write` replaces the hash), the writer's
 * generation, the version in epoch ms (empty: none), a TTL in seconds (0: none), field/value pairs.
 * Returns OK, FENCED (a newer generation wrote it) or OLDER (a newer version is stored).
 */
export const LINK_CAS_SCRIPT = `
local gen = tonumber(ARGV[2])
local stored = redis.call('HMGET', KEYS[1], '${F.generation}', '${F.appliedVersionMs}')
if stored[1] and tonumber(stored[1]) > gen then return 'FENCED' end
if ARGV[3] ~= '' and stored[2] and tonumber(stored[2]) > tonumber(ARGV[3]) then return 'OLDER' end
if ARGV[1] == 'write' then redis.call('DEL', KEYS[1]) end
redis.call('HSET', KEYS[1], '${F.generation}', ARGV[2], unpack(ARGV, 5))
if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
return 'OK'
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    dosLinkCas(key: string, ...args: string[]): Result<string, Context>;
  }
}

/** A write refused by the compare-and-set: this writer no longer owns the key, or is behind it. */
export type LinkWriteRefusal = 'FENCED' | 'OLDER';

export class LinkWriteRefused extends Error {
  constructor(
    readonly refusal: LinkWriteRefusal,
    readonly originKey: string,
  ) {
    super(refusal === 'FENCED' ? `link ${originKey} was written by a newer generation` : `link ${originKey} holds a newer version`);
    this.name = 'LinkWriteRefused';
  }
}

export interface LinkStoreOptions {
  /** E.g. `dos:writer:`; every key this store touches starts with it. */
  readonly prefix: string;
  /** Tombstones (deleted origins) expire after this long; live links never do. Default 90 days. */
  readonly tombstoneTtlSeconds?: number;
}

/**
 * Generation of writes made outside any partition assignment (operator tools, tests): older
 * than every writer's, so they never overwrite what a writer wrote.
 */
export const NO_GENERATION = 0;

export class LinkStore {
  private readonly prefix: string;
  private readonly tombstoneTtlSeconds: number;

  constructor(
    private readonly redis: RedisClient,
    options: LinkStoreOptions,
  ) {
    this.prefix = options.prefix;
    this.tombstoneTtlSeconds = options.tombstoneTtlSeconds ?? 90 * 24 * 3600;
    // EVALSHA with a fallback to EVAL, defined once per client.
    if (typeof (redis as Partial<Pick<RedisClient, 'dosLinkCas'>>).dosLinkCas !== 'function') {
      redis.defineCommand('dosLinkCas', { numberOfKeys: 1, lua: LINK_CAS_SCRIPT });
    }
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

  /** The links of every origin key starting with `keyPrefix`, a scan page (one pipelined read) at a time. */
  async *scan(keyPrefix: string): AsyncGenerator<Map<string, Link>> {
    const base = this.redisKey('');
    for await (const redisKeys of scanKeys(this.redis, `${this.redisKey(keyPrefix)}*`)) {
      yield await this.getMany(redisKeys.map((k) => k.slice(base.length)));
    }
  }

  /** Written before draftOrderCreate of `version` is sent; refused like write(). */
  async recordCreateIntent(originKey: string, at: number, writer: { readonly generation: number; readonly version: string }): Promise<void> {
    const fields = [F.createIntentAt, String(at), F.writtenAt, String(Date.now())];
    await this.cas(originKey, 'intent', writer.generation, versionMs(writer.version), 0, fields);
  }

  /** Written right before a mutation of an existing copy is sent; refused like write(). */
  async recordWriteIntent(originKey: string, at: number, writer: { readonly generation: number; readonly version: string }): Promise<void> {
    const fields = [F.writeIntentAt, String(at), F.writtenAt, String(Date.now())];
    await this.cas(originKey, 'intent', writer.generation, versionMs(writer.version), 0, fields);
  }

  /** Replaces the link (clearing any create intent) atomically, as `generation`. */
  async write(originKey: string, link: Link, generation: number = NO_GENERATION): Promise<void> {
    const fields: string[] = [F.status, link.status, F.invoiceSent, link.invoiceSent ? '1' : '0', F.writtenAt, String(Date.now())];
    const add = (field: string, value: string | null): void => void (value !== null && fields.push(field, value));
    add(F.sourceDraftId, link.sourceDraftId);
    add(F.sourceDraftName, link.sourceDraftName);
    add(F.appliedVersion, link.appliedVersion);
    add(F.appliedVersionMs, link.appliedVersion === null ? null : versionMs(link.appliedVersion));
    add(F.createIntentAt, link.createIntentAt === null ? null : String(link.createIntentAt));
    add(F.writeIntentAt, link.writeIntentAt === null ? null : String(link.writeIntentAt));
    add(F.fingerprint, link.fingerprint);
    add(F.copyUpdatedAt, link.copyUpdatedAt);
    add(F.sourceEdited, link.sourceEdited);
    if (link.replay !== null) {
      add(F.replayRawId, link.replay.rawId);
      add(F.replayEvents, JSON.stringify(link.replay.events.map((e) => [e.outcome, e.reason])));
    }
    const ttl = link.status === 'DELETED' ? this.tombstoneTtlSeconds : 0;
    await this.cas(originKey, 'write', generation, link.appliedVersion === null ? '' : versionMs(link.appliedVersion), ttl, fields);
  }

  private async cas(originKey: string, mode: 'intent' | 'write', generation: number, version: string, ttl: number, fields: readonly string[]): Promise<void> {
    const reply = await this.redis.dosLinkCas(this.redisKey(originKey), mode, String(generation), version, String(ttl), ...fields);
    if (reply === 'OK') return;
    if (reply === 'FENCED' || reply === 'OLDER') throw new LinkWriteRefused(reply, originKey);
    throw new Error(`link write of ${originKey}: unexpected reply ${String(reply)}`);
  }
}

/** Versions are ISO-8601 instants; a version that does not parse compares as the oldest. */
function versionMs(version: string): string {
  const ms = Date.parse(version);
  return Number.isNaN(ms) ? '0' : String(ms);
}

function parseLink(hash: Record<string, string> | null | undefined): Link {
  if (!hash || Object.keys(hash).length === 0) return NO_LINK;
  const intent = hash[F.createIntentAt];
  const writeIntent = hash[F.writeIntentAt];
  const generation = hash[F.generation];
  return {
    sourceDraftId: hash[F.sourceDraftId] ?? null,
    sourceDraftName: hash[F.sourceDraftName] ?? null,
    appliedVersion: hash[F.appliedVersion] ?? null,
    invoiceSent: hash[F.invoiceSent] === '1',
    status: parseStatus(hash[F.status]),
    createIntentAt: intent !== undefined && intent !== '' ? Number(intent) : null,
    writeIntentAt: writeIntent !== undefined && writeIntent !== '' ? Number(writeIntent) : null,
    replay: parseReplay(hash[F.replayRawId], hash[F.replayEvents]),
    generation: generation !== undefined && generation !== '' ? Number(generation) : null,
    fingerprint: hash[F.fingerprint] ?? null,
    copyUpdatedAt: hash[F.copyUpdatedAt] ?? null,
    sourceEdited: parseEdited(hash[F.sourceEdited]),
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

function parseEdited(value: string | undefined): SourceEditState | null {
  return value === 'FLAGGED' || value === 'KEPT' ? value : null;
}
