// One chaos run: the run's own broker and Redis, the simulator's source store, ingest, mappers
// and writers as processes, the load and the fault schedule at once; then the drain, the check
// and the figures. `npm run chaos` (main.ts) and the short test in `npm test` both run this.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings } from '../src/shared/config/index.js';
import { Infra } from '../src/shared/infra.js';
import { createLogger } from '../src/shared/log.js';
import { sleep } from '../src/shared/retry.js';
import { RedisMappingStore } from '../src/variant-mappings/index.js';
import { seededRandom } from '../simulator/core/random.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { uniqueId } from '../test/support/infra.js';
import { check, type CheckResult } from './checker.js';
import { startCluster, type ChaosCluster } from './cluster.js';
import { scheduleFaults, type Fault, type FaultKind } from './fault-schedule.js';
import { inject, type InjectedFault } from './faults.js';
import { Fleet } from './fleet.js';
import { CONNECTION, destinationVariant, DESTINATION, planLoad, SOURCE, type LoadPlan } from './load-plan.js';
import { OutcomeFeed } from './outcome-feed.js';
import { byPartition, longestGap, resumedOnEvery } from './recovery.js';
import { WebhookSender, type SendStats } from './webhook-sender.js';

export interface ChaosOptions {
  readonly seed: number;
  readonly drafts: number;
  /** Webhooks sent per second. */
  readonly rate: number;
  readonly kinds: readonly FaultKind[];
  /**
   * false: one fault at a time, each after the one before has resumed (recovery per fault kind);
   * true: each at its scheduled time, overlapping (the most stress for the promises).
   */
  readonly overlap: boolean;
  readonly mappers: number;
  readonly writers: number;
  readonly kafkaBrokers: number;
  readonly redisCluster: boolean;
  /** The consumers' session timeout given to the services; undefined = their defaults. */
  readonly sessionTimeoutMs: number | undefined;
  /** How long a crashed broker or Redis node stays down before it is started again. */
  readonly downMs: number;
  /** After the load: how long acknowledged versions may take to get their outcomes. */
  readonly drainTimeoutMs: number;
  readonly registryUrl: string | undefined;
  readonly log: (msg: string) => void;
  /** Keep every process's log also after a clean run (`--keep-logs`: to study recovery times). */
  readonly keepLogs?: boolean;
  /** Ctrl-C: stop where it is and clean up everything the run started. */
  readonly signal?: AbortSignal;
}

export interface FaultFigure {
  readonly kind: FaultKind;
  readonly target: string;
  readonly atS: number;
  /** The longest any partition went without an outcome, from the fault on. */
  readonly resumeS: number;
  /** The partition of that gap. */
  readonly partition: number | null;
  /** For a node restart: from its return until outcomes flowed on every partition again. */
  readonly afterReturnS: number | null;
  readonly readyAfterS: number | null;
  readonly mappersReadyAfterS: number | null;
}

export interface ChaosResult {
  readonly seed: number;
  readonly schedule: readonly Fault[];
  readonly overlap: boolean;
  /** Faults not injected: their turn came too close to the load's end (one at a time only). */
  readonly skipped: readonly Fault[];
  /** Nothing lost, duplicated, stale, matching no version or left without an outcome. */
  readonly clean: boolean;
  readonly check: CheckResult;
  readonly faults: readonly FaultFigure[];
  readonly sent: SendStats;
  readonly outcomes: number;
  readonly seconds: number;
  readonly logDir: string;
  readonly stack: string;
}

const SECRET = 'chaos-eu-brand-secret';
const VARIANTS = 24;
/** Default session timeout of the services when the run does not set one (services/*: 6 s). */
const DEFAULT_SESSION_TIMEOUT_MS = 6000;
/** One at a time: how long the flow runs steady after a fault resumed before the next may start. */
const STEADY_MS = 5000;
/** How long a fault may take to resume (one at a time: before the next starts anyway); its figure's window. */
const RESUME_DEADLINE_MS = 60_000;
/** One at a time: a fault needs this much load after it, or its recovery is not measured. */
const NEEDS_LOAD_AFTER_MS = 20_000;

/** The load and the fault schedule: both from the seed alone, so a seed re-runs the same faults on the same load. */
export function planRun(o: Pick<ChaosOptions, 'seed' | 'drafts' | 'rate' | 'kinds'>): { plan: LoadPlan; schedule: Fault[] } {
  const plan = planLoad(seededRandom(o.seed), { drafts: o.drafts, minVersions: 3, maxVersions: 5, duplicateShare: 0.1, variants: VARIANTS, firstId: 3_000_000_000 }, `s${o.seed}`);
  const loadMs = (plan.deliveries.length / o.rate) * 1000;
  const schedule = scheduleFaults(seededRandom(o.seed ^ 0x5eed), { kinds: o.kinds, fromMs: loadMs * 0.08, toMs: loadMs * 0.8 });
  return { plan, schedule };
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const started = performance.now();
  const run = uniqueId('chaos');
  const { plan, schedule } = planRun(o);
  const dir = mkdtempSync(path.join(os.tmpdir(), `${run}-`));
  const logDir = path.join(dir, 'logs');
  // What the run started, stopped in reverse whatever happens.
  const held: { cluster?: ChaosCluster; sim?: Simulator; infra?: Infra; feed?: OutcomeFeed; fleet?: Fleet; ok?: boolean } = {};
  const aborted = new Promise<never>((_, reject) => o.signal?.addEventListener('abort', () => reject(new Error('chaos run interrupted')), { once: true }));
  try {
    return await Promise.race([aborted, body()]);
  } finally {
    await held.fleet?.stopAll().catch((err: unknown) => o.log(`stopping the services: ${String(err)}`));
    await held.feed?.stop().catch(() => undefined);
    await held.infra?.close();
    await held.sim?.close();
    await held.cluster?.stop();
    // A failed run keeps its services' logs for the post-mortem.
    if (held.ok && !o.keepLogs) rmSync(dir, { recursive: true, force: true });
    else o.log(`logs kept in ${logDir}`);
  }

  async function body(): Promise<ChaosResult> {
    o.log(`starting the run's own cluster (${o.kafkaBrokers} broker(s), ${o.redisCluster ? 'Redis Cluster' : 'one Redis'})`);
    const cluster = (held.cluster = await startCluster({ kafkaBrokers: o.kafkaBrokers, redisCluster: o.redisCluster, registryUrl: o.registryUrl }));
    o.log(`cluster: ${cluster.description}`);
    const sim = (held.sim = await startSimulator({
      stores: [
        // Big enough never to throttle: the faults, not the budget, are under test.
        { shop: SOURCE, currency: 'EUR', throttle: { maximumAvailable: 1_000_000, restoreRate: 100_000 } },
        { shop: DESTINATION, currency: 'EUR', webhookSecret: SECRET },
      ],
    }));
    const source = sim.store(SOURCE);
    source.seedProducts([{ title: 'Chaos', options: ['N'], variants: Array.from({ length: VARIANTS }, (_, n) => ({ sku: `CHAOS-${n}`, price: '10.00', options: [String(n)] })) }]);
    const configPath = path.join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        stores: [
          { shop: SOURCE, adminTokenEnv: 'CHAOS_SOURCE_TOKEN', webhookSecretEnvs: ['CHAOS_SOURCE_SECRET'], adminApiUrl: sim.adminBaseUrl(SOURCE) },
          { shop: DESTINATION, adminTokenEnv: 'CHAOS_DESTINATION_TOKEN', webhookSecretEnvs: ['CHAOS_DESTINATION_SECRET'] },
        ],
        connections: [{ id: CONNECTION, source: SOURCE, destination: DESTINATION }],
      }),
    );
    const sessionTimeoutMs = o.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    const env: Record<string, string> = {
      ...cluster.env,
      DOS_CONFIG: configPath,
      CHAOS_SOURCE_TOKEN: source.accessToken,
      CHAOS_SOURCE_SECRET: 'unused',
      CHAOS_DESTINATION_TOKEN: 'unused',
      CHAOS_DESTINATION_SECRET: SECRET,
      TOPIC_PREFIX: `${run}.`,
      REDIS_KEY_PREFIX: `${run}:`,
      WRITER_REDIS_PREFIX: `${run}:writer:`,
      // --keep-logs is for the post-mortem of recovery times: the services' info lines too.
      LOG_LEVEL: o.keepLogs ? 'info' : 'warn',
      // Two cores for six processes and the cluster: one map worker each.
      MAPPER_WORKERS: '1',
      ...(o.sessionTimeoutMs !== undefined ? { MAPPER_SESSION_TIMEOUT_MS: String(o.sessionTimeoutMs), WRITER_SESSION_TIMEOUT_MS: String(o.sessionTimeoutMs) } : {}),
    };
    const settings = loadSettings(env);
    const infra = (held.infra = new Infra({ settings: settings.infra, names: settings.names, clientId: 'chaos', logger: createLogger('chaos', 'silent') }));
    await infra.admin();
    const mappings = new RedisMappingStore(infra.redis(), { prefix: settings.names.mappingPrefix });
    const sourceVariantOf = new Map<number, number>();
    for (let n = 0; n < VARIANTS; n++) {
      const variant = source.variantBySku(`CHAOS-${n}`);
      sourceVariantOf.set(destinationVariant(n), variant.id);
      await mappings.set(CONNECTION, String(destinationVariant(n)), String(variant.id));
    }
    const fleet = (held.fleet = new Fleet(env, logDir, (pid, marker) => cluster.track(pid, marker)));
    const ingest = await fleet.add('ingest');
    for (let i = 0; i < o.mappers; i++) await fleet.add('mapper');
    for (let i = 0; i < o.writers; i++) await fleet.add('writer');
    await fleet.waitReady(180_000);
    // After the services: their groups made the fresh broker's group coordinator ready. From the beginning: nothing missed.
    const feed = (held.feed = await OutcomeFeed.start(infra));
    o.log(`services ready after ${((performance.now() - started) / 1000).toFixed(1)} s; ${plan.deliveries.length} deliveries at ${o.rate}/s, ${schedule.length} faults`);

    const sender = new WebhookSender({ ingestUrl: ingest.url, secret: SECRET, rate: o.rate, attempts: 12, timeoutMs: 5000 });
    const loadStart = performance.now();
    // The services' logs carry wall-clock times: t+0 of the schedule and the table is this.
    o.log(`load starts (t+0) at ${new Date().toISOString()}`);
    const injected: InjectedFault[] = [];
    const loadEnd = loadStart + (plan.deliveries.length / o.rate) * 1000;
    const ctx = { fleet, cluster, sessionTimeoutMs, downMs: o.downMs, log: o.log };
    const skipped: Fault[] = [];
    const faults = o.overlap
      ? // Each fault at its own time, whatever the earlier ones still do (a pause lasts a session timeout).
        Promise.all(
          schedule.map(async (fault) => {
            await sleep(Math.max(0, loadStart + fault.at - performance.now()));
            injected.push(await inject(fault, ctx));
          }),
        )
      : oneAtATime();
    // A fault starts at its time, but never before the one before it has resumed everywhere and
    // the flow has run steady for a while: each fault's recovery is its own, not an overlap's.
    async function oneAtATime(): Promise<void> {
      let notBefore = 0;
      for (const fault of schedule) {
        await sleep(Math.max(0, loadStart + Math.max(fault.at, notBefore) - performance.now()));
        // Without load after it a fault's recovery cannot be seen (no partition would have work).
        if (performance.now() > loadEnd - NEEDS_LOAD_AFTER_MS) {
          skipped.push(fault);
          o.log(`fault ${fault.kind} skipped: the load ends before its recovery could be measured (lower --rate or raise --drafts)`);
          continue;
        }
        const partitions = new Set(feed.items.map((i) => i.partition));
        const f = await inject(fault, ctx);
        injected.push(f);
        const deadline = performance.now() + RESUME_DEADLINE_MS;
        while (performance.now() < deadline && !resumedOnEvery(feed.items, partitions, f.endedAt)) await sleep(100);
        notBefore = performance.now() - loadStart + STEADY_MS;
      }
    }
    const progress = setInterval(() => {
      o.log(`t+${((performance.now() - loadStart) / 1000).toFixed(0)} s: ${sender.stats.sent} sent, ${sender.acked.size} versions answered 200, ${feed.items.length} outcomes, ${injected.length}/${schedule.length} faults`);
    }, 5000);
    try {
      await Promise.all([sender.run(plan.deliveries), faults]);
      o.log(`load sent; draining (every answered version needs an outcome, ≤ ${o.drainTimeoutMs / 1000} s)`);
      const drainDeadline = performance.now() + o.drainTimeoutMs;
      while (performance.now() < drainDeadline && !allAnswered(sender.acked, feed)) await sleep(500);
      // Late outcomes (a paused writer's stale apply) land within a commit interval or two.
      await sleep(2000);
    } finally {
      clearInterval(progress);
    }

    if (o.keepLogs) writeTimeline(dir, sender, feed);
    const copies = source.store.drafts().map((d) => ({ tags: d.tags, note: d.note, lines: d.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })) }));
    const verdict = check({ versions: plan.versions, acked: sender.acked, copies, sourceVariantOf, outcomes: feed.items });
    const arrivals = byPartition(feed.items);
    injected.sort((a, b) => a.startedAt - b.startedAt);
    const figures = injected.map((f, i): FaultFigure => {
      const next = injected[i + 1]?.startedAt ?? Number.POSITIVE_INFINITY;
      // Overlapping faults: a gap that began before the next fault is this one's, to its end.
      const gap = longestGap(arrivals, f.startedAt, Math.min(next, f.startedAt + RESUME_DEADLINE_MS), !o.overlap);
      const restart = f.fault.kind.startsWith('restart-');
      return {
        kind: f.fault.kind,
        target: f.target,
        atS: round((f.startedAt - loadStart) / 1000),
        resumeS: round(gap.seconds),
        partition: gap.partition,
        afterReturnS: restart ? round(Math.max(0, gap.endedAt - f.endedAt) / 1000) : null,
        readyAfterS: f.readyAfterS === null ? null : round(f.readyAfterS),
        mappersReadyAfterS: f.mappersReadyAfterS === null ? null : round(f.mappersReadyAfterS),
      };
    });
    held.ok = [verdict.lost, verdict.duplicates, verdict.stale, verdict.mismatched, verdict.unanswered].every((n) => n === 0);
    return { seed: o.seed, schedule, overlap: o.overlap, skipped, clean: held.ok, check: verdict, faults: figures, sent: sender.stats, outcomes: feed.items.length, seconds: round((performance.now() - started) / 1000), logDir, stack: cluster.description };
  }
}

function allAnswered(acked: ReadonlyMap<string, number>, feed: OutcomeFeed): boolean {
  if (feed.items.length < acked.size) return false;
  const seen = new Set(feed.items.map((o) => `${o.key}@${o.version}`));
  for (const key of acked.keys()) if (!seen.has(key)) return false;
  return true;
}

/** Every 200 and every outcome with its wall-clock time, next to the services' logs (`--keep-logs`). */
function writeTimeline(dir: string, sender: WebhookSender, feed: OutcomeFeed): void {
  const wall = (at: number): string => new Date(performance.timeOrigin + at).toISOString();
  const lines = [
    ...[...sender.acked].map(([version, at]) => ({ at, line: { at: wall(at), acked: version } })),
    ...feed.items.map((o) => ({ at: o.at, line: { at: wall(o.at), partition: o.partition, key: o.key, version: new Date(o.version).toISOString(), outcome: o.outcome } })),
  ].sort((a, b) => a.at - b.at);
  writeFileSync(path.join(dir, 'logs', 'timeline.jsonl'), lines.map((l) => JSON.stringify(l.line)).join('\n') + '\n');
}

const round = (n: number): number => Math.round(n * 10) / 10;
