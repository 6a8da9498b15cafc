// The status service: a read-only page for operators over the sync-events and DLQ topics,
// consumer lag and the mapping store. Its own server rather than a route in ingest: ingest is
// the public webhook endpoint and stays minimal and fast (Shopify gives it 5 s), while this
// page reads Kafka and Redis on its own timer and is for operators, usually on a private bind.
//
// Data collection uses the operator library the `draft-sync` CLI uses (src/ops, src/shared:
// the bootstrap, names, lag, DLQ redrive marks, topic following), so the page and
// `draft-sync status` agree on groups, prefixes and definitions; the page's own folding
// (state.ts, view.ts) is pure.
import { findConnectionByDestination, type NamedToken } from '../../../src/shared/config/index.js';
import type { ConnectionSettingChange } from '../../../src/contracts/connection-settings.js';
import { historyEntry, runningInstances, startLiveConfig, waitUntilApplied, type HistoryEntry } from '../../../src/live-settings/index.js';
import { CsrfGuard } from './csrf.js';
import type { DeadLetter } from '../../../src/contracts/dead-letter.js';
import type { DraftOrderSyncEvent } from '../../../src/contracts/sync-event.js';
import type { ServiceOptions } from '../../../src/shared/service.js';
import { Infra } from '../../../src/shared/infra.js';
import { tokenPolicy } from './auth.js';
import { followFromStart, type Feed } from './feeds.js';
import { createStatusMetrics } from './metrics.js';
import { startPoller } from './poller.js';
import { buildStatusServer, LookupInputError } from './server.js';
import { ExplainInputError, explainRecord, formatStory } from '../../../src/ops/explain.js';
import { StatusState } from './state.js';
import { buildView } from './view.js';

export interface StatusOptions extends ServiceOptions {
  readonly host: string;
  readonly port: number;
  /** Required when `host` is not loopback; then checked on every request. */
  readonly token?: string | undefined;
  /** Who may change live settings (SETTINGS_TOKENS); none: the settings page is read-only. */
  readonly writeTokens?: readonly NamedToken[];
  /** Lag, redrive marks and mappings are read this often (ms). Default 2000. */
  readonly pollIntervalMs?: number;
  /** Each store's Admin API is checked this often (ms). Default 60 s. */
  readonly storeCheckIntervalMs?: number;
}

/** Audit records kept per connection for the settings page. */
const HISTORY_KEPT = 200;
/** How long a save waits for every running mapper and writer to confirm it. */
const CONFIRM_WAIT_MS = 10_000;

export interface RunningStatus {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startStatus(opts: StatusOptions): Promise<RunningStatus> {
  // Before connecting anything: an exposed bind without a token must not start.
  const token = tokenPolicy(opts.host, opts.token);
  const logger = opts.logger.child({ component: 'status' });
  const infra = new Infra({ settings: opts.infra, names: opts.names, clientId: 'status', logger });
  const metrics = createStatusMetrics(opts.metricsRegistry);
  const state = new StatusState((shop) => findConnectionByDestination(opts.config, shop)?.id ?? null);
  const feeds: Feed[] = [];
  const closers: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch((err: unknown) => logger.error({ err }, 'status: stop step failed'));
  };
  closers.push(() => infra.close());
  try {
    const codecs = await infra.codecs();
    const { events: eventsTopic, dlq: dlqTopic } = infra.topics;
    const events = await followFromStart<DraftOrderSyncEvent>(infra, {
      label: 'events',
      topic: eventsTopic,
      decode: (v) => codecs.events.decode(v),
      onRecord: (e) => {
        metrics.recordsRead.inc({ topic: 'events' });
        state.addEvent(e);
      },
      onUndecodable: () => metrics.undecodable.inc({ topic: 'events' }),
      logger,
    });
    feeds.push(events);
    closers.push(() => events.stop());
    const dlq = await followFromStart<DeadLetter>(infra, {
      label: 'dlq',
      topic: dlqTopic,
      decode: (v) => codecs.dlq.decode(v),
      onRecord: (l) => {
        metrics.recordsRead.inc({ topic: 'dlq' });
        state.addDeadLetter(l);
      },
      onUndecodable: () => metrics.undecodable.inc({ topic: 'dlq' }),
      logger,
    });
    feeds.push(dlq);
    closers.push(() => dlq.stop());

    // Live settings: what is in force (seeded from the file if no service did yet) and their audit trail.
    const live = await startLiveConfig(infra, opts.config, { logger, role: null, seed: true });
    closers.push(() => live.stop());
    const history = new Map<string, HistoryEntry[]>();
    const audit = await followFromStart<ConnectionSettingChange>(infra, {
      label: 'settings-audit',
      topic: infra.topics.settingsAudit,
      decode: (v) => codecs.settingsAudit.decode(v),
      onRecord: (change) => {
        const entries = history.get(change.connectionId) ?? [];
        entries.unshift(historyEntry(change));
        history.set(change.connectionId, entries.slice(0, HISTORY_KEPT));
      },
      onUndecodable: () => metrics.undecodable.inc({ topic: 'settings-audit' }),
      logger,
    });
    feeds.push(audit);
    closers.push(() => audit.stop());
    const redis = infra.redis();

    const poller = startPoller(infra, live.config(), { intervalMs: opts.pollIntervalMs ?? 2000, storeCheckIntervalMs: opts.storeCheckIntervalMs ?? 60_000, logger, onFailure: () => metrics.pollFailures.inc() });
    closers.push(() => poller.stop());

    const app = buildStatusServer({
      logger,
      metricsRegistry: opts.metricsRegistry,
      token,
      ready: () => poller.healthy() && feeds.every((f) => f.joined()),
      view: () => buildView(live.config(), state, poller.latest(), events.caughtUp()),
      settings: {
        live,
        file: opts.config,
        writeTokens: opts.writeTokens ?? [],
        csrf: new CsrfGuard(),
        history: (id) => history.get(id) ?? [],
        instances: () => runningInstances(redis, opts.names.opsPrefix),
        confirm: (offset) => waitUntilApplied(redis, opts.names.opsPrefix, offset, CONFIRM_WAIT_MS),
        logger,
      },
      explain: async (shop, ref) => {
        try {
          const story = await explainRecord(infra, live.config(), { shop, ref });
          return { verdict: { line: story.verdict.line, ok: story.verdict.ok }, text: formatStory(story) };
        } catch (err) {
          throw err instanceof ExplainInputError ? new LookupInputError(err.message) : err;
        }
      },
    });
    closers.push(() => app.close());
    const url = await app.listen({ host: opts.host, port: opts.port });
    logger.info({ url, eventsTopic, dlqTopic, mapperGroup: opts.names.mapperGroup, writerGroup: opts.names.writerGroup }, 'status page listening');
    return { url, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
