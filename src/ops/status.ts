// status: per connection the outcome counts and last sync (event-counters.ts), pending dead
// letters and unmapped variants; per service group its consumer lag.
import { RedisMappingStore } from '../variant-mappings/index.js';
import { findConnectionByDestination, type AppConfig } from '../shared/config/index.js';
import type { Infra } from '../shared/infra.js';
import { readDeadLetters } from './dlq.js';
import { foldEvents, readCounts, type ConnectionCounts } from './event-counters.js';
import { groupLag, type GroupLag } from '../shared/kafka/lag.js';
import { readLastWebhooks } from '../map-stage/last-webhook.js';
import { checkStores, type StoreCheck } from './stores.js';

export interface ConnectionStatus extends ConnectionCounts {
  readonly connectionId: string;
  readonly destinationShop: string;
  readonly sourceShop: string;
  readonly dlqPending: number;
  readonly unmappedVariants: number;
}

export interface StoreStatus {
  readonly shop: string;
  /** Null when the store could not be asked (`error` says why). */
  readonly check: StoreCheck | null;
  readonly error: string | null;
  /** ISO time of its last verified webhook, null: none recorded. */
  readonly lastWebhookAt: string | null;
}

export interface PipelineStatus {
  readonly connections: readonly ConnectionStatus[];
  readonly stores: readonly StoreStatus[];
  readonly lag: { readonly mapper: GroupLag; readonly writer: GroupLag };
  readonly dlq: { readonly letters: number; readonly pending: number; readonly pendingWithoutConnection: number };
  /** False when another `status` was folding the events: counts may trail by its batch. */
  readonly countsCurrent: boolean;
}

export async function pipelineStatus(infra: Infra, config: AppConfig, opts: { readonly checkStores?: boolean } = {}): Promise<PipelineStatus> {
  const admin = await infra.admin();
  const { topics, names: settings } = infra;
  const [countsCurrent, letters, mapper, writer, stores] = await Promise.all([
    foldEvents(infra),
    readDeadLetters(infra),
    groupLag(admin, settings.mapperGroup, topics.raw),
    groupLag(admin, settings.writerGroup, topics.mapped),
    storeStatuses(infra, config, opts.checkStores !== false),
  ]);
  const pendingBy = new Map<string, number>();
  let pendingWithoutConnection = 0;
  const pending = letters.filter((e) => e.redriven === null);
  for (const { letter } of pending) {
    const shop = letter.key?.split('/')[0];
    const connection = shop ? findConnectionByDestination(config, shop) : undefined;
    if (connection) pendingBy.set(connection.id, (pendingBy.get(connection.id) ?? 0) + 1);
    else pendingWithoutConnection++;
  }
  const mappings = new RedisMappingStore(infra.redis(), { prefix: settings.mappingPrefix });
  const connections = await Promise.all(
    config.connections.map(async (c): Promise<ConnectionStatus> => ({
      connectionId: c.id,
      destinationShop: c.destinationShop,
      sourceShop: c.sourceShop,
      ...(await readCounts(infra, c.id)),
      dlqPending: pendingBy.get(c.id) ?? 0,
      unmappedVariants: (await mappings.unmapped(c.id)).length,
    })),
  );
  return { connections, stores, lag: { mapper, writer }, dlq: { letters: letters.length, pending: pending.length, pendingWithoutConnection }, countsCurrent };
}

/** Each store's check (one Admin API query each; a store that does not answer is reported, not fatal) and last webhook. */
async function storeStatuses(infra: Infra, config: AppConfig, check: boolean): Promise<StoreStatus[]> {
  const last = await readLastWebhooks(infra.redis(), infra.names.opsPrefix);
  return Promise.all(
    config.stores.map(async (store): Promise<StoreStatus> => {
      const lastWebhookAt = last[store.shop] ?? null;
      if (!check) return { shop: store.shop, check: null, error: 'not checked', lastWebhookAt };
      try {
        const [result] = await checkStores(config, { shop: store.shop });
        return { shop: store.shop, check: result ?? null, error: null, lastWebhookAt };
      } catch (err) {
        return { shop: store.shop, check: null, error: err instanceof Error ? err.message : String(err), lastWebhookAt };
      }
    }),
  );
}

export function formatStatus(s: PipelineStatus): string {
  const counts = (c: Record<string, number>): string =>
    Object.entries(c)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  const lag = (l: GroupLag): string => `${l.total}${l.committed ? '' : ' (never committed)'} [${l.partitions.map((p) => p.lag).join(' ')}]`;
  const lines = [
    `consumer lag: mapper ${s.lag.mapper.groupId} on ${s.lag.mapper.topic}: ${lag(s.lag.mapper)}; writer ${s.lag.writer.groupId} on ${s.lag.writer.topic}: ${lag(s.lag.writer)}`,
    `dlq: ${s.dlq.letters} letter(s), ${s.dlq.pending} pending${s.dlq.pendingWithoutConnection ? ` (${s.dlq.pendingWithoutConnection} of no connection)` : ''}`,
  ];
  for (const c of s.connections) {
    lines.push(
      `connection ${c.connectionId}: ${c.destinationShop} → ${c.sourceShop}`,
      `  outcomes:  ${counts(c.outcomes)}`,
      ...(Object.keys(c.reasons).length > 0 ? [`  reasons:   ${counts(c.reasons)}`] : []),
      `  last sync: ${c.lastSync ?? 'never'}`,
      `  dlq pending: ${c.dlqPending}; unmapped variants waiting: ${c.unmappedVariants}`,
    );
  }
  for (const st of s.stores) {
    const state = st.error ? `not answering (${st.error})` : st.check && st.check.problems.length > 0 ? `${st.check.problems.length} problem(s): draft-sync stores check` : st.check?.token === 'unchecked' ? 'in no connection' : 'ready';
    lines.push(`store ${st.shop}: ${state}; last verified webhook: ${st.lastWebhookAt ?? 'none recorded'}`);
  }
  if (!s.countsCurrent) lines.push('(another status run was counting events: counts may trail slightly)');
  return `${lines.join('\n')}\n`;
}
