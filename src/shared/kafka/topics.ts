// Every topic the product uses, declared in one place and created idempotently.
import type { Admin, ITopicConfig } from 'kafkajs';
import type { TopicKey } from '../../contracts/topic-contract.js';
import { retry } from '../retry.js';

export interface TopicNames extends Record<TopicKey, string> {
  /** Verified webhooks (and backfill/reconcile envelopes): the replayable history. */
  readonly raw: string;
  /** Mapper output, read by the writer (read_committed). */
  readonly mapped: string;
  /** Every writer outcome: the contract for internal services. */
  readonly events: string;
  /** Records no stage could process, with the reason. */
  readonly dlq: string;
  /** The effective per-connection settings, keyed by connection id (compacted: the newest per key). */
  readonly settings: string;
  /** Every change of a connection setting: who, when, old → new (kept forever). */
  readonly settingsAudit: string;
}

/** Topic names; `prefix` isolates test runs and side-by-side deployments. */
export function topicNames(prefix: string): TopicNames {
  return {
    raw: `${prefix}shopify.webhooks`,
    mapped: `${prefix}draft-orders.mapped`,
    events: `${prefix}draft-orders.sync-events`,
    dlq: `${prefix}draft-orders.dlq`,
    settings: `${prefix}draft-sync.connection-settings`,
    settingsAudit: `${prefix}draft-sync.connection-settings.audit`,
  };
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * `replicationFactor` -1 leaves it to the broker (default.replication.factor); the broker's
 * min.insync.replicas applies either way.
 */
export function topicDeclarations(names: TopicNames, partitions: number, replicationFactor = -1): ITopicConfig[] {
  const cfg = (retentionMs: number): { name: string; value: string }[] => [
    { name: 'retention.ms', value: String(retentionMs) },
    { name: 'cleanup.policy', value: 'delete' },
  ];
  const declarations: ITopicConfig[] = [
    // The raw topic is the history replays re-drive: kept forever unless an operator decides otherwise.
    { topic: names.raw, numPartitions: partitions, configEntries: cfg(-1) },
    { topic: names.mapped, numPartitions: partitions, configEntries: cfg(7 * DAY_MS) },
    { topic: names.events, numPartitions: partitions, configEntries: cfg(30 * DAY_MS) },
    { topic: names.dlq, numPartitions: 1, configEntries: cfg(-1) },
    // One partition each: every reader folds the settings (and lists their history) in one order.
    // Compacted, never deleted: the newest record per connection is its settings for good.
    { topic: names.settings, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    { topic: names.settingsAudit, numPartitions: 1, configEntries: cfg(-1) },
  ];
  return declarations.map((t) => ({ ...t, replicationFactor }));
}

/** kafkajs marks errors a later attempt can get past (leaders still being elected, a broker just up). */
function retriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === true;
}

/**
 * Creates the topics that do not exist yet; existing ones are left as they are. A broker that
 * is still electing leaders answers with retriable errors (UNKNOWN_TOPIC_OR_PARTITION from
 * waitForLeaders): they are retried for about half a minute instead of failing the start.
 */
export async function ensureTopics(admin: Admin, names: TopicNames, partitions: number, replicationFactor = -1): Promise<string[]> {
  return retry(() => createMissing(admin, names, partitions, replicationFactor), { attempts: 20, baseDelayMs: 100, maxDelayMs: 2000, retryIf: retriable });
}

async function createMissing(admin: Admin, names: TopicNames, partitions: number, replicationFactor: number): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const wanted = topicDeclarations(names, partitions, replicationFactor).filter((t) => !existing.has(t.topic));
  if (wanted.length === 0) return [];
  try {
    await admin.createTopics({ topics: wanted, waitForLeaders: true });
  } catch (err) {
    // Another instance may have created them between list and create.
    const stillMissing = wanted.filter((t) => !existing.has(t.topic));
    const now = new Set(await admin.listTopics());
    if (stillMissing.some((t) => !now.has(t.topic))) throw err;
  }
  return wanted.map((t) => t.topic);
}

/**
 * Whether two topics have as many partitions. The mapper then writes each output to its
 * input's partition: for a key that is the partition its hash picks anyway, without hashing
 * (kafkajs' murmur2 allocates per record) on the consumer's thread.
 */
export async function coPartitioned(admin: Admin, a: string, b: string): Promise<boolean> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [a, b] });
  const count = (name: string): number | undefined => topics.find((t) => t.name === name)?.partitions.length;
  return count(a) !== undefined && count(a) === count(b);
}
