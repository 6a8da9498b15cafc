// status: per connection the outcome counts and last sync (event-counters.ts), pending dead
// letters and unmapped variants; per service group its consumer lag.
import { RedisMappingStore } from '../variant-mappings/index.js';
import { findConnectionByDestination, type AppConfig } from '../shared/config/index.js';
import type { Infra } from '../shared/infra.js';
import { readDeadLetters } from './dlq.js';
import { foldEvents, readCounts, type ConnectionCounts } from './event-counters.js';
import { groupLag, type GroupLag } from '../shared/kafka/lag.js';

export interface ConnectionStatus extends ConnectionCounts {
  readonly connectionId: string;
  readonly destinationShop: string;
  readonly sourceShop: string;
  readonly dlqPending: number;
  readonly unmappedVariants: number;
}

export interface PipelineStatus {
  readonly connections: readonly ConnectionStatus[];
  readonly lag: { readonly mapper: GroupLag; readonly writer: GroupLag };
  readonly dlq: { readonly letters: number; readonly pending: number; readonly pendingWithoutConnection: number };
  /** False when another `status` was folding the events: counts may trail by its batch. */
  readonly countsCurrent: boolean;
}

export async function pipelineStatus(infra: Infra, config: AppConfig): Promise<PipelineStatus> {
  const admin = await infra.admin();
  const { topics, names: settings } = infra;
  const [countsCurrent, letters, mapper, writer] = await Promise.all([
    foldEvents(infra),
    readDeadLetters(infra),
    groupLag(admin, settings.mapperGroup, topics.raw),
    groupLag(admin, settings.writerGroup, topics.mapped),
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
  return { connections, lag: { mapper, writer }, dlq: { letters: letters.length, pending: pending.length, pendingWithoutConnection }, countsCurrent };
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
  if (!s.countsCurrent) lines.push('(another status run was counting events: counts may trail slightly)');
  return `${lines.join('\n')}\n`;
}
