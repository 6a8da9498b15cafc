// Fencing tokens for the writer's partitions. Each assignment of a partition takes a new
// generation, higher than every earlier one of that partition (and, being at least Redis's
// clock in ms, than those of partitions claimed earlier: a key that moves partitions keeps
// working). One key per partition, `{prefix}owner:{topic}:{partition}`, holds the current
// owner's generation; a writer whose generation is no longer there must not touch Shopify.
import { type Result } from 'ioredis';
import type { RedisClient } from '../../../../src/shared/redis.js';
import { DosError } from '../../../../src/shared/errors.js';

/** KEYS[1] the owner key. Returns { new generation, the one it replaced (0: none) } as text. */
const CLAIM_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
local generation = math.max(previous + 1, now)
redis.call('SET', KEYS[1], string.format('%.0f', generation))
return { string.format('%.0f', generation), string.format('%.0f', previous) }
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    dosClaimPartition(key: string): Result<[string, string], Context>;
  }
}

/** This writer's generation of a partition was superseded: its work there must stop, unapplied. */
export class FencedWrite extends DosError {
  constructor(
    readonly partition: number,
    readonly generation: number,
    detail: string,
  ) {
    super('FENCED', `partition ${partition}, generation ${generation}: ${detail}`, { retriable: false });
  }
}

/** One assignment of one partition to this process. */
export interface Fence {
  readonly partition: number;
  readonly generation: number;
  /** Local time the generation was taken: requests of older generations were sent before it. */
  readonly claimedAt: number;
  /** Throws FencedWrite unless this generation is still the partition's current one. */
  check(): Promise<void>;
}

export interface Claim {
  readonly fence: Fence;
  /** The generation this claim replaced; null when the partition had none. */
  readonly previous: number | null;
}

export class PartitionGenerations {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: { readonly prefix: string; readonly topic: string; readonly now?: () => number },
  ) {
    if (typeof (redis as Partial<Pick<RedisClient, 'dosClaimPartition'>>).dosClaimPartition !== 'function') {
      redis.defineCommand('dosClaimPartition', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
    }
  }

  ownerKey(partition: number): string {
    return `${this.options.prefix}owner:${this.options.topic}:${partition}`;
  }

  /** Takes the next generation of `partition` for this process. */
  async claim(partition: number): Promise<Claim> {
    const [generation, previous] = await this.redis.dosClaimPartition(this.ownerKey(partition));
    const claimedAt = (this.options.now ?? Date.now)();
    const previousGeneration = Number(previous);
    return { fence: this.fence(partition, Number(generation), claimedAt), previous: previousGeneration === 0 ? null : previousGeneration };
  }

  /** The partition's current generation; null when none was ever taken. */
  async current(partition: number): Promise<number | null> {
    const value = await this.redis.get(this.ownerKey(partition));
    return value === null ? null : Number(value);
  }

  private fence(partition: number, generation: number, claimedAt: number): Fence {
    return {
      partition,
      generation,
      claimedAt,
      check: async () => {
        const current = await this.current(partition);
        if (current !== generation) throw new FencedWrite(partition, generation, `partition now owned by generation ${current ?? 'none'}`);
      },
    };
  }
}

/** The fence an apply holds: read at each use, so applies in flight follow a renewed generation. */
export class RenewableFence {
  constructor(private current: Fence) {}

  get fence(): Fence {
    return this.current;
  }

  get generation(): number {
    return this.current.generation;
  }

  get claimedAt(): number {
    return this.current.claimedAt;
  }

  check(): Promise<void> {
    return this.current.check();
  }

  renew(fence: Fence): void {
    this.current = fence;
  }
}
