// Which settings each running mapper and writer instance judges records by: every instance
// keeps a short-lived Redis key with the settings-topic position it has applied (refreshed while
// it runs, gone soon after it stops), so a save can wait until every instance follows it and
// say which do not yet.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../shared/redis.js';
import { scanKeys } from '../shared/redis-scan.js';

export type InstanceRole = 'mapper' | 'writer';

export interface InstanceReport {
  readonly instance: string;
  readonly role: InstanceRole;
  /** Every settings record below this offset is in force in that instance. */
  readonly position: bigint;
}

const TTL_MS = 15_000;
const REFRESH_MS = 5_000;

function keyPrefix(opsPrefix: string): string {
  return `${opsPrefix}settings:applied:`;
}

export function instanceId(role: InstanceRole): string {
  return `${role}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export class AppliedReporter {
  private position: bigint | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    opsPrefix: string,
    readonly role: InstanceRole,
    readonly instance: string = instanceId(role),
  ) {
    this.key = `${keyPrefix(opsPrefix)}${instance}`;
    this.timer = setInterval(() => void this.write(), REFRESH_MS);
    this.timer.unref();
  }

  /** After the instance put the settings below `position` in force. */
  report(position: bigint): Promise<void> {
    this.position = position;
    return this.write();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.del(this.key).catch(() => undefined);
  }

  private async write(): Promise<void> {
    if (this.position === null) return;
    // Redis being down must not stop the instance: a save then reports it as not confirmed.
    await this.redis.set(this.key, JSON.stringify({ role: this.role, position: String(this.position) }), 'PX', TTL_MS).catch(() => undefined);
  }
}

export async function runningInstances(redis: RedisClient, opsPrefix: string): Promise<InstanceReport[]> {
  const prefix = keyPrefix(opsPrefix);
  const reports: InstanceReport[] = [];
  for await (const keys of scanKeys(redis, `${prefix}*`)) {
    const values = await Promise.all(keys.map((k) => redis.get(k)));
    keys.forEach((key, i) => {
      const value = values[i];
      if (!value) return;
      const parsed = JSON.parse(value) as { role: InstanceRole; position: string };
      reports.push({ instance: key.slice(prefix.length), role: parsed.role, position: BigInt(parsed.position) });
    });
  }
  return reports.sort((a, b) => a.instance.localeCompare(b.instance));
}

export interface Confirmation {
  readonly following: readonly InstanceReport[];
  /** Instances that had not applied the change when the wait ended. */
  readonly behind: readonly InstanceReport[];
}

/** Waits (polling Redis, up to `timeoutMs`) until every running instance applied the record at `offset`. */
export async function waitUntilApplied(redis: RedisClient, opsPrefix: string, offset: bigint, timeoutMs: number): Promise<Confirmation> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await runningInstances(redis, opsPrefix);
    const behind = all.filter((r) => r.position <= offset);
    if (behind.length === 0 || Date.now() >= deadline) return { following: all.filter((r) => r.position > offset), behind };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
