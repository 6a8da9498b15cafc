// Saving live settings: one Kafka transaction holds the connection's new settings record and
// one audit record per changed field, so a reader sees both or neither — a change is never
// half-applied. Saves are serialised by a Redis lock (across the page, the CLI and seeding
// services), checked against the topic's newest revision (a form loaded before someone else's
// save is refused rather than silently undoing it), and done only after the whole change passed
// the configuration file's rules.
import { randomBytes } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { AppConfig } from '../shared/config/index.js';
import { findConnectionById } from '../shared/config/index.js';
import type { Infra } from '../shared/infra.js';
import { diffSettings, liveSettingsOf, parseChanges, type FieldChange, type FieldProblem, type LiveSettings } from './fields.js';
import { SEEDED_BY, toChangeRecords, toRecord, type LiveEntry } from './record.js';
import type { SettingsFollower } from './settings-follower.js';

export interface SaveRequest {
  readonly connectionId: string;
  /** Field → value, as a form or command line gives them (see parseChanges). */
  readonly values: Readonly<Record<string, unknown>>;
  /** The token's name, `cli:<user>`, … */
  readonly by: string;
  /** The revision the change was made on; absent: whatever is newest. */
  readonly expectedRevision?: number;
}

export type SaveResult =
  | { readonly kind: 'saved'; readonly entry: LiveEntry; readonly changes: readonly FieldChange[] }
  | { readonly kind: 'unchanged'; readonly entry: LiveEntry }
  | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] }
  | { readonly kind: 'conflict'; readonly entry: LiveEntry }
  | { readonly kind: 'unknown-connection' };

// Longer than the worst save (catching up twice, the transaction), so the lock never lapses mid-save.
const LOCK_TTL_MS = 60_000;
const LOCK_WAIT_MS = 10_000;
const CATCH_UP_MS = 15_000;
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class SettingsWriter {
  private producer_: Promise<Producer> | null = null;

  constructor(
    private readonly infra: Infra,
    private readonly follower: SettingsFollower,
  ) {}

  /** Connections of the file without a record yet get one with the file's values (revision 1). */
  async seed(config: AppConfig): Promise<string[]> {
    const unseeded = (): AppConfig['connections'] => config.connections.filter((c) => !this.follower.get(c.id));
    if (unseeded().length === 0) return [];
    return this.locked(async () => {
      const missing = unseeded();
      if (missing.length === 0) return [];
      const now = Date.now();
      await this.write(missing.map((c) => ({ connectionId: c.id, revision: 1, settings: liveSettingsOf(c), changes: diffSettings(null, liveSettingsOf(c)), by: SEEDED_BY, at: now })));
      return missing.map((c) => c.id);
    });
  }

  async save(config: AppConfig, request: SaveRequest): Promise<SaveResult> {
    if (!findConnectionById(config, request.connectionId)) return { kind: 'unknown-connection' };
    const parsed = parseChanges(request.values);
    if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems };
    await this.seed(config);
    return this.locked(async () => {
      const current = this.follower.get(request.connectionId);
      if (!current) return { kind: 'unknown-connection' };
      if (request.expectedRevision !== undefined && request.expectedRevision !== current.revision) return { kind: 'conflict', entry: current };
      const next: LiveSettings = { ...current.settings, ...parsed.changes };
      const changes = diffSettings(current.settings, next);
      if (changes.length === 0) return { kind: 'unchanged', entry: current };
      const revision = current.revision + 1;
      await this.write([{ connectionId: request.connectionId, revision, settings: next, changes, by: request.by, at: Date.now() }]);
      const entry = this.follower.get(request.connectionId);
      if (!entry || entry.revision !== revision) throw new Error(`live settings: revision ${revision} of ${request.connectionId} written but not read back`);
      return { kind: 'saved', entry, changes };
    });
  }

  async close(): Promise<void> {
    const producer = await this.producer_?.catch(() => null);
    this.producer_ = null;
    await producer?.disconnect();
  }

  /** Settings records and their audit records in one transaction; returns once the follower read them. */
  private async write(
    writes: readonly { connectionId: string; revision: number; settings: LiveSettings; changes: readonly FieldChange[]; by: string; at: number }[],
  ): Promise<void> {
    const [producer, codecs] = await Promise.all([this.producer(), this.infra.codecs()]);
    const { settings: settingsTopic, settingsAudit } = this.infra.topics;
    const tx = await producer.transaction();
    let last: bigint;
    try {
      const sent = await tx.send({
        topic: settingsTopic,
        acks: -1,
        messages: writes.map((w) => ({ key: w.connectionId, value: codecs.settings.encode(toRecord(w.connectionId, w.revision, w.settings, w.by, w.at)) })),
      });
      await tx.send({
        topic: settingsAudit,
        acks: -1,
        messages: writes.flatMap((w) => toChangeRecords(w.connectionId, w.revision, w.changes, w.by, w.at).map((c) => ({ key: w.connectionId, value: codecs.settingsAudit.encode(c) }))),
      });
      last = BigInt(sent[0]!.baseOffset ?? '0') + BigInt(writes.length - 1);
      await tx.commit();
    } catch (error) {
      await tx.abort().catch(() => undefined);
      throw error;
    }
    await this.follower.reach(last + 1n, CATCH_UP_MS);
  }

  private producer(): Promise<Producer> {
    this.producer_ ??= (async () => {
      // Own transactional id per process: saves are serialised by the lock, not by fencing.
      const transactionalId = `${this.infra.topicPrefix}draft-sync-settings-${randomBytes(6).toString('hex')}`;
      // A random id is never reused, so a transaction left open by a killed process is only ended by
      // its timeout, and until then every read_committed reader of the settings (each service at
      // start-up) waits: a save is a handful of records, 10 s is ample (kafkajs' default is 60 s).
      const producer = this.infra.kafka().producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 10_000 });
      await producer.connect();
      return producer;
    })();
    this.producer_.catch(() => (this.producer_ = null));
    return this.producer_;
  }

  /** Under the one settings lock, with the follower caught up with everything saved before. */
  private async locked<T>(run: () => Promise<T>): Promise<T> {
    const redis = this.infra.redis();
    const key = `${this.infra.names.opsPrefix}settings:lock`;
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + LOCK_WAIT_MS;
    while ((await redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error('live settings: another save holds the settings lock; try again');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      await this.follower.reachEnd(CATCH_UP_MS);
      return await run();
    } finally {
      await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
