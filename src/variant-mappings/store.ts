// The mapping store in Redis: batch lookups for the mapper (one pipelined round trip for a
// whole consumed batch), single-entry commands, atomic rebuilds and incremental product
// updates. Key layout: see keys.ts.
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import type { VariantMatchMode } from '../domain/connection.js';
import type { VariantKeys } from '../domain/product.js';
import type { RedisClient } from '../shared/redis.js';
import { backoffDelay, sleep, type Backoff } from '../shared/retry.js';
import type { AmbiguousKey, SideCatalog } from './build.js';
import { connectionKeys, type ConnectionKeys } from './keys.js';
import { affectedKeys, applyProductChange, type ProductChangePlan, type StoreSide } from './product-change.js';

export interface LookupRequest {
  readonly connectionId: string;
  readonly variantIds: readonly string[];
}

/** connection id → (destination variant id → source variant id); unmapped ids are absent. */
export type LookupResult = Map<string, Map<string, string>>;

export interface MappingReport {
  readonly builtAt: string;
  readonly matchBy: VariantMatchMode;
  readonly mapped: number;
  readonly unmatched: readonly string[];
  readonly ambiguous: readonly AmbiguousKey[];
}

export interface ReplaceOptions {
  /** Both sides' catalogs, kept so product webhooks can update mappings incrementally. */
  readonly catalogs?: { readonly source: SideCatalog; readonly destination: SideCatalog };
  readonly report?: MappingReport;
}

const SIDES: readonly StoreSide[] = ['source', 'destination'];
const CHUNK = 1000;
/** Staging keys of a rebuild that died half way expire on their own. */
const STAGING_TTL_MS = 3_600_000;
/** A product change recomputed this often because its keys kept changing under it gives up (its batch is redone). */
const MAX_CHANGE_ATTEMPTS = 30;
/** Backoff between attempts, so two writers in a burst of changes stop invalidating each other. */
const CHANGE_BACKOFF: Backoff = { baseDelayMs: 1, maxDelayMs: 100 };

/** The connection a product change is applied to, and the change (a product's current variants). */
type ProductChangeTarget = { readonly id: string; readonly variantMatch: VariantMatchMode };
type ProductChange = { readonly productId: string; readonly variants: readonly VariantKeys[] };

export class RedisMappingStore {
  private readonly prefix: string;
  /** Product changes' own connection (opened on the first one) and the tail of their queue. */
  private changes: { readonly redis: RedisClient; tail: Promise<unknown> } | undefined;

  constructor(
    private readonly redis: RedisClient,
    /** The mapping prefix in force (Names.mappingPrefix). */
    options: { readonly prefix: string },
  ) {
    this.prefix = options.prefix;
  }

  keys(connectionId: string): ConnectionKeys {
    return connectionKeys(this.prefix, connectionId);
  }

  /**
   * Looks up a whole batch: one HMGET per connection, all in one pipeline (on a cluster,
   * connections live in different slots, so their HMGETs run in parallel instead).
   */
  async lookupMany(requests: readonly LookupRequest[]): Promise<LookupResult> {
    const wanted = requests.filter((r) => r.variantIds.length > 0);
    const result: LookupResult = new Map(requests.map((r) => [r.connectionId, new Map<string, string>()]));
    if (wanted.length === 0) return result;
    let replies: (string | null)[][];
    if (this.redis instanceof Cluster) {
      replies = await Promise.all(wanted.map((r) => this.redis.hmget(this.keys(r.connectionId).map, ...r.variantIds)));
    } else {
      const pipeline = this.redis.pipeline();
      for (const r of wanted) pipeline.hmget(this.keys(r.connectionId).map, ...r.variantIds);
      replies = (await pipeline.exec() ?? []).map(([error, reply]) => {
        if (error) throw error;
        return reply as (string | null)[];
      });
    }
    wanted.forEach((request, i) => {
      const found = result.get(request.connectionId)!;
      const reply = replies[i] ?? [];
      request.variantIds.forEach((id, j) => {
        const source = reply[j];
        if (source !== null && source !== undefined) found.set(id, source);
      });
    });
    return result;
  }

  async lookup(connectionId: string, variantIds: readonly string[]): Promise<Map<string, string>> {
    return (await this.lookupMany([{ connectionId, variantIds }])).get(connectionId) ?? new Map();
  }

  async get(connectionId: string, destinationVariantId: string): Promise<string | null> {
    return this.redis.hget(this.keys(connectionId).map, destinationVariantId);
  }

  /** Sets a mapping by hand: it wins over built ones and survives rebuilds. */
  async set(connectionId: string, destinationVariantId: string, sourceVariantId: string): Promise<void> {
    const k = this.keys(connectionId);
    await this.redis
      .multi()
      .hset(k.map, destinationVariantId, sourceVariantId)
      .hset(k.manual, destinationVariantId, sourceVariantId)
      .srem(k.unmapped, destinationVariantId)
      .exec();
  }

  /** Removes a mapping (hand-set or built); true when there was one. */
  async delete(connectionId: string, destinationVariantId: string): Promise<boolean> {
    const k = this.keys(connectionId);
    const replies = await this.redis.multi().hdel(k.map, destinationVariantId).hdel(k.manual, destinationVariantId).exec();
    return Number(replies?.[0]?.[1] ?? 0) > 0;
  }

  /** Every mapping (or only the hand-set ones), streamed with HSCAN. */
  async *list(connectionId: string, options: { readonly manualOnly?: boolean } = {}): AsyncGenerator<[string, string]> {
    const k = this.keys(connectionId);
    const key = options.manualOnly ? k.manual : k.map;
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', 1000);
      cursor = next;
      for (let i = 0; i + 1 < flat.length; i += 2) yield [flat[i]!, flat[i + 1]!];
    } while (cursor !== '0');
  }

  async count(connectionId: string): Promise<number> {
    return this.redis.hlen(this.keys(connectionId).map);
  }

  /**
   * Replaces a connection's mappings (and catalogs, report) atomically: everything is staged
   * under temporary keys, then renamed into place in one MULTI. Hand-set mappings are kept.
   */
  async replaceAll(
    connectionId: string,
    entries: Iterable<readonly [string, string]>,
    options: ReplaceOptions = {},
  ): Promise<{ readonly mappings: number }> {
    const k = this.keys(connectionId);
    const nonce = randomBytes(6).toString('hex');
    const manual = await this.redis.hgetall(k.manual);
    const mapping = new Map<string, string>(entries);
    for (const [destination, source] of Object.entries(manual)) mapping.set(destination, source);

    const staged: { final: string; staging: string; fields: Map<string, string> }[] = [
      { final: k.map, staging: k.staging(nonce, 'map'), fields: mapping },
    ];
    if (options.catalogs) {
      for (const side of SIDES) {
        const catalog = options.catalogs[side];
        staged.push(
          { final: k.index(side), staging: k.staging(nonce, `idx:${side}`), fields: jsonValues(catalog.index) },
          { final: k.catalog(side), staging: k.staging(nonce, `cat:${side}`), fields: keyValues(catalog.keys) },
          { final: k.products(side), staging: k.staging(nonce, `prod:${side}`), fields: jsonValues(catalog.products) },
        );
      }
    }

    try {
      for (const { staging, fields } of staged) await this.writeHash(staging, fields);
      const multi = this.redis.multi();
      for (const { final, staging, fields } of staged) {
        if (fields.size === 0) multi.del(final);
        // RENAME carries the staging TTL over: PERSIST drops it again.
        else multi.rename(staging, final).persist(final);
      }
      if (options.report) multi.del(k.report).hset(k.report, reportFields(options.report));
      // Variants seen unmapped are re-recorded by the mapper if they still are.
      multi.del(k.unmapped);
      const replies = await multi.exec();
      const failed = replies?.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
    } catch (error) {
      await this.redis.del(...staged.map((s) => s.staging)).catch(() => undefined);
      throw error;
    }
    return { mappings: mapping.size };
  }

  private async writeHash(key: string, fields: Map<string, string>): Promise<void> {
    if (fields.size === 0) return;
    const pipeline = this.redis.pipeline();
    let args: string[] = [];
    for (const [field, value] of fields) {
      args.push(field, value);
      if (args.length >= CHUNK * 2) {
        pipeline.hset(key, ...args);
        args = [];
      }
    }
    if (args.length > 0) pipeline.hset(key, ...args);
    pipeline.pexpire(key, STAGING_TTL_MS);
    const replies = await pipeline.exec();
    const failed = replies?.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  /** Remembers destination variants the mapper met without a mapping (one round trip). */
  async recordUnmapped(requests: readonly LookupRequest[]): Promise<void> {
    const wanted = requests.filter((r) => r.variantIds.length > 0);
    if (wanted.length === 0) return;
    if (this.redis instanceof Cluster) {
      await Promise.all(wanted.map((r) => this.redis.sadd(this.keys(r.connectionId).unmapped, ...r.variantIds)));
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const r of wanted) pipeline.sadd(this.keys(r.connectionId).unmapped, ...r.variantIds);
    await pipeline.exec();
  }

  async unmapped(connectionId: string): Promise<string[]> {
    return (await this.redis.smembers(this.keys(connectionId).unmapped)).sort();
  }

  async report(connectionId: string): Promise<MappingReport | null> {
    const fields = await this.redis.hgetall(this.keys(connectionId).report);
    if (fields.builtAt === undefined) return null;
    return {
      builtAt: fields.builtAt,
      matchBy: fields.matchBy as VariantMatchMode,
      mapped: Number(fields.mapped ?? 0),
      unmatched: JSON.parse(fields.unmatched ?? '[]') as string[],
      ambiguous: JSON.parse(fields.ambiguous ?? '[]') as AmbiguousKey[],
    };
  }

  /** A connection of its own whose errors reach the main client's listener (and so the logger). */
  private duplicate(): RedisClient {
    const own = this.redis.duplicate();
    own.on('error', (err: unknown) => this.redis.emit('error', err));
    return own;
  }

  /**
   * Applies a product webhook of one side of a connection: re-indexes the product's
   * variants and re-decides the match keys they had or have. Hand-set mappings are kept.
   *
   * Read, decide, write, as an optimistic transaction: the keys read are WATCHed, and when
   * another writer changed one before EXEC (another mapper instance, a rebuild, a hand-set
   * mapping) the change is recomputed from what is there now. WATCH belongs to a connection
   * and any EXEC on it ends it, so the changes run one at a time on a connection of their own.
   */
  async applyProductChange(
    connection: ProductChangeTarget,
    side: StoreSide,
    change: ProductChange,
  ): Promise<ProductChangePlan> {
    this.changes ??= { redis: this.duplicate(), tail: Promise.resolve() };
    const lane = this.changes;
    const run = async (): Promise<ProductChangePlan> => {
      for (let attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
        const plan = await this.tryProductChange(lane.redis, connection, side, change);
        if (plan) return plan;
        await sleep(backoffDelay(CHANGE_BACKOFF, attempt));
      }
      throw new Error(`product ${change.productId} of connection ${connection.id}: its mapping keys kept changing (${MAX_CHANGE_ATTEMPTS} attempts)`);
    };
    const result = lane.tail.then(run, run);
    lane.tail = result.catch(() => undefined);
    return result;
  }

  /** Closes the product changes' connection, if one was opened. */
  async close(): Promise<void> {
    const lane = this.changes;
    this.changes = undefined;
    if (!lane) return;
    await lane.tail;
    lane.redis.disconnect();
  }

  /** One attempt; null when a watched key changed before EXEC (nothing was written). */
  private async tryProductChange(
    redis: RedisClient,
    connection: ProductChangeTarget,
    side: StoreSide,
    change: ProductChange,
  ): Promise<ProductChangePlan | null> {
    const k = this.keys(connection.id);
    const other: StoreSide = side === 'source' ? 'destination' : 'source';
    // Every key read below; the map itself is only written.
    await redis.watch(k.products(side), k.catalog(side), k.index(side), k.index(other), k.manual);
    let executed = false;
    try {
      const previousIds = parseIds(await redis.hget(k.products(side), change.productId));
      const previousKeys = previousIds.length > 0 ? await redis.hmget(k.catalog(side), ...previousIds) : [];
      const previous = new Map(previousIds.map((id, i) => [id, blankToNull(previousKeys[i])]));
      const keys = affectedKeys(change.variants, previous, connection.variantMatch);
      const [same, opposite] = keys.length > 0 ? await Promise.all([redis.hmget(k.index(side), ...keys), redis.hmget(k.index(other), ...keys)]) : [[], []];
      const plan = applyProductChange({
        side,
        mode: connection.variantMatch,
        productId: change.productId,
        variants: change.variants,
        previous,
        sameSide: new Map(keys.map((key, i) => [key, parseIds(same[i])])),
        otherSide: new Map(keys.map((key, i) => [key, parseIds(opposite[i])])),
      });

      const destinations = [...plan.mappingSet.map(([d]) => d), ...plan.mappingRemove];
      const manual = destinations.length > 0 ? await redis.hmget(k.manual, ...destinations) : [];
      const isManual = new Set(destinations.filter((_, i) => manual[i] !== null && manual[i] !== undefined));

      const multi = redis.multi();
      if (plan.productVariants.length > 0) multi.hset(k.products(side), change.productId, JSON.stringify(plan.productVariants));
      else multi.hdel(k.products(side), change.productId);
      if (plan.catalogRemove.length > 0) multi.hdel(k.catalog(side), ...plan.catalogRemove);
      if (plan.catalogSet.length > 0) multi.hset(k.catalog(side), ...plan.catalogSet.flatMap(([id, key]) => [id, key ?? '']));
      if (plan.indexRemove.length > 0) multi.hdel(k.index(side), ...plan.indexRemove);
      if (plan.indexSet.length > 0) multi.hset(k.index(side), ...plan.indexSet.flatMap(([key, ids]) => [key, JSON.stringify(ids)]));
      const removals = plan.mappingRemove.filter((d) => !isManual.has(d));
      const sets = plan.mappingSet.filter(([d]) => !isManual.has(d));
      if (removals.length > 0) multi.hdel(k.map, ...removals);
      if (sets.length > 0) multi.hset(k.map, ...sets.flat()).srem(k.unmapped, ...sets.map(([d]) => d));
      executed = true; // EXEC ends the watch whatever it answers
      const replies = await multi.exec();
      if (replies === null) return null;
      const failed = replies.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
      return plan;
    } finally {
      if (!executed) await redis.unwatch().catch(() => undefined);
    }
  }

  /** Deletes every key of a connection (staging leftovers expire by themselves). */
  async clear(connectionId: string): Promise<void> {
    const k = this.keys(connectionId);
    const perSide = SIDES.flatMap((side) => [k.index(side), k.catalog(side), k.products(side)]);
    await this.redis.del(k.map, k.manual, k.unmapped, k.report, ...perSide);
  }
}

function jsonValues(map: ReadonlyMap<string, readonly string[]>): Map<string, string> {
  return new Map([...map].map(([key, ids]) => [key, JSON.stringify(ids)]));
}

function keyValues(map: ReadonlyMap<string, string | null>): Map<string, string> {
  return new Map([...map].map(([id, key]) => [id, key ?? '']));
}

function reportFields(report: MappingReport): Record<string, string> {
  return {
    builtAt: report.builtAt,
    matchBy: report.matchBy,
    mapped: String(report.mapped),
    unmatched: JSON.stringify(report.unmatched),
    ambiguous: JSON.stringify(report.ambiguous),
  };
}

function parseIds(value: string | null | undefined): string[] {
  return value ? (JSON.parse(value) as string[]) : [];
}

function blankToNull(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : value;
}
