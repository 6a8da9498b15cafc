// What the page reads by polling rather than following: consumer lag of the mapper and writer
// groups (Kafka admin), DLQ redrive marks and mappings (Redis). One poll at a time on a timer,
// whatever the number of browsers; a failed poll keeps the last data and reports its error.
import type { AppConfig } from '../../../src/shared/config/index.js';
import type { Logger } from '../../../src/shared/log.js';
import { RedisMappingStore } from '../../../src/variant-mappings/index.js';
import type { Infra } from '../../../src/shared/infra.js';
import { redrivenKey, type RedriveMark } from '../../../src/ops/dlq.js';
import { groupLag } from '../../../src/shared/kafka/lag.js';
import { readLastWebhooks } from '../../../src/map-stage/last-webhook.js';
import { checkStores, type StoreCheck } from '../../../src/ops/stores.js';
import { NOTHING_POLLED, type ConnectionMappings, type Polled } from './view.js';

export interface Poller {
  latest(): Polled;
  /** True when the last poll succeeded. */
  healthy(): boolean;
  /** Resolves after the first poll (successful or not). */
  readonly first: Promise<void>;
  stop(): Promise<void>;
}

export interface PollerOptions {
  readonly intervalMs: number;
  /** How often each store's Admin API is asked (token, scopes, subscriptions). */
  readonly storeCheckIntervalMs: number;
  readonly logger: Logger;
  readonly onFailure: () => void;
}

export function startPoller(infra: Infra, config: AppConfig, opts: PollerOptions): Poller {
  const mappings = new RedisMappingStore(infra.redis(), { prefix: infra.names.mappingPrefix });
  let latest: Polled = NOTHING_POLLED;
  let ok = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let lastLogged = 0;

  const pollOnce = async (): Promise<void> => {
    try {
      const admin = await infra.admin();
      const { names, topics } = infra;
      const [mapper, writer, marks, perConnection, lastWebhooks] = await Promise.all([
        groupLag(admin, names.mapperGroup, topics.raw),
        groupLag(admin, names.writerGroup, topics.mapped),
        infra.redis().hgetall(redrivenKey(names.opsPrefix)),
        Promise.all(
          config.connections.map(async (c): Promise<[string, ConnectionMappings]> => {
            const [report, unmapped] = await Promise.all([mappings.report(c.id), mappings.unmapped(c.id)]);
            return [c.id, { report, unmapped }];
          }),
        ),
        readLastWebhooks(infra.redis(), names.opsPrefix),
      ]);
      const redriven: Record<string, RedriveMark> = {};
      for (const [id, mark] of Object.entries(marks)) redriven[id] = JSON.parse(mark) as RedriveMark;
      latest = { ...latest, at: new Date().toISOString(), error: null, lag: { mapper, writer }, redriven, mappings: new Map(perConnection), lastWebhooks };
      ok = true;
    } catch (err) {
      ok = false;
      opts.onFailure();
      latest = { ...latest, error: err instanceof Error ? err.message : String(err) };
      // A Kafka or Redis outage fails every poll: one log line per 30 s is enough.
      if (Date.now() - lastLogged > 30_000) {
        lastLogged = Date.now();
        opts.logger.warn({ err }, 'status: poll failed; showing the last data');
      }
    }
  };

  // Stores one at a time apart from the rest: a store that does not answer must not hold the page.
  const stores = new Map<string, { at: string; check: StoreCheck | null; error: string | null }>();
  const checkStoresOnce = async (): Promise<void> => {
    await Promise.all(
      config.stores.map(async (store) => {
        const at = new Date().toISOString();
        try {
          const [check] = await checkStores(config, { shop: store.shop });
          stores.set(store.shop, { at, check: check ?? null, error: null });
        } catch (err) {
          stores.set(store.shop, { at, check: stores.get(store.shop)?.check ?? null, error: err instanceof Error ? err.message : String(err) });
        }
      }),
    );
    latest = { ...latest, stores: new Map(stores) };
  };
  let storeTimer: NodeJS.Timeout | null = null;
  let storesInFlight: Promise<void> = checkStoresOnce();
  const scheduleStores = (): void => {
    if (stopped) return;
    storeTimer = setTimeout(() => {
      storesInFlight = checkStoresOnce().finally(scheduleStores);
    }, opts.storeCheckIntervalMs);
  };
  void storesInFlight.finally(scheduleStores);

  let inFlight: Promise<void> = pollOnce();
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = pollOnce().finally(schedule);
    }, opts.intervalMs);
  };
  const first = inFlight.finally(schedule);

  return {
    latest: () => latest,
    healthy: () => ok,
    first,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (storeTimer) clearTimeout(storeTimer);
      await Promise.all([inFlight, storesInFlight]);
    },
  };
}
