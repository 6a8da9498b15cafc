// Source-store customer ids by email, cached in memory and in Redis with a TTL so that
// neither every draft nor every writer instance asks Shopify again.
import type { RedisClient } from '../../../../src/shared/redis.js';
import type { CallResult } from '../../../../src/shopify/call-result.js';
import type { SourceStore } from '../shopify/source-store.js';

export interface CustomerCacheOptions {
  readonly prefix: string;
  /** A found customer id stays cached this long. */
  readonly ttlSeconds?: number;
  /** "No such customer" is cached shorter: the customer may be created any time. */
  readonly missTtlSeconds?: number;
  readonly now?: () => number;
}

/** Stored for a miss, so a cached "none" differs from "not cached". */
const MEMORY_ENTRIES = 10_000;

const NONE = '-';

export class CustomerResolver {
  private readonly memory = new Map<string, { readonly id: string | null; readonly expiresAt: number }>();
  private readonly ttlSeconds: number;
  private readonly missTtlSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: CustomerCacheOptions,
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 3600;
    this.missTtlSeconds = options.missTtlSeconds ?? 300;
    this.now = options.now ?? Date.now;
  }

  /** The source store's customer GID for `email`, null when it has none. */
  async resolve(store: SourceStore, email: string): Promise<CallResult<string | null>> {
    const normalised = email.trim().toLowerCase();
    const cacheKey = this.cacheKey(store, email);
    const inMemory = this.memory.get(cacheKey);
    if (inMemory && inMemory.expiresAt > this.now()) return { kind: 'ok', data: inMemory.id, cost: null };

    const cached = await this.redis.get(cacheKey);
    if (cached !== null) {
      const id = cached === NONE ? null : cached;
      this.remember(cacheKey, id, cached === NONE ? this.missTtlSeconds : this.ttlSeconds);
      return { kind: 'ok', data: id, cost: null };
    }

    const result = await store.findCustomerIdByEmail(normalised);
    if (result.kind !== 'ok') return result;
    const ttl = result.data === null ? this.missTtlSeconds : this.ttlSeconds;
    await this.redis.set(cacheKey, result.data ?? NONE, 'EX', ttl);
    this.remember(cacheKey, result.data, ttl);
    return result;
  }

  /** Drops a cached id the store no longer knows (customer deleted or merged). */
  async forget(store: SourceStore, email: string): Promise<void> {
    const cacheKey = this.cacheKey(store, email);
    this.memory.delete(cacheKey);
    await this.redis.del(cacheKey);
  }

  private cacheKey(store: SourceStore, email: string): string {
    return `${this.options.prefix}customer:${store.shop}:${email.trim().toLowerCase()}`;
  }

  private remember(cacheKey: string, id: string | null, ttlSeconds: number): void {
    this.memory.delete(cacheKey);
    // Maps iterate in insertion order: dropping the first entry evicts the oldest.
    if (this.memory.size >= MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value as string);
    this.memory.set(cacheKey, { id, expiresAt: this.now() + ttlSeconds * 1000 });
  }
}
