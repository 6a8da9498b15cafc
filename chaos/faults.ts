// Injecting one fault of the schedule into the running fleet or cluster, the way production
// fails: a crash (SIGKILL, then the supervisor starts it again), a stall past the session
// timeout (SIGSTOP … SIGCONT), scaling out and in, a broker or Redis crash and restart.
import { sleep } from '../src/shared/retry.js';
import type { ChaosCluster, ClusterNode } from './cluster.js';
import type { Fault } from './fault-schedule.js';
import type { Fleet, Instance, ServiceKind } from './fleet.js';

export interface FaultContext {
  readonly fleet: Fleet;
  readonly cluster: ChaosCluster;
  /** The consumers' session timeout: a pause lasts this long plus a margin. */
  readonly sessionTimeoutMs: number;
  /** How long a crashed broker or Redis node stays down. */
  readonly downMs: number;
  readonly log: (msg: string) => void;
}

export interface InjectedFault {
  readonly fault: Fault;
  /** The instance or node it hit. */
  readonly target: string;
  /** performance.now() when it began. */
  readonly startedAt: number;
  /** When the fault was over from the outside (a node back, a process continued); = startedAt for a crash. */
  readonly endedAt: number;
  /** From endedAt until every service answered /readyz 200 again; null if not within the deadline. */
  readonly readyAfterS: number | null;
  /** The mappers alone (the broker's return: goal ≤ 10 s). */
  readonly mappersReadyAfterS: number | null;
}

const READY_DEADLINE_MS = 90_000;

export async function inject(fault: Fault, ctx: FaultContext): Promise<InjectedFault> {
  const startedAt = performance.now();
  const [action, what] = fault.kind.split('-') as [string, string];
  let target = what;
  switch (action) {
    case 'kill': {
      const instance = pick(ctx.fleet, what as ServiceKind, fault.target);
      target = instance.name;
      await instance.kill();
      instance.start();
      break;
    }
    case 'pause': {
      const instance = pick(ctx.fleet, what as ServiceKind, fault.target);
      target = instance.name;
      instance.signal('SIGSTOP');
      await sleep(ctx.sessionTimeoutMs + 3000);
      instance.signal('SIGCONT');
      break;
    }
    case 'add':
      target = (await ctx.fleet.add(what as ServiceKind)).name;
      break;
    case 'remove': {
      const instance = pick(ctx.fleet, what as ServiceKind, fault.target);
      target = instance.name;
      await ctx.fleet.remove(instance);
      break;
    }
    case 'restart': {
      const nodes = what === 'broker' ? ctx.cluster.brokers : ctx.cluster.redisNodes;
      const node: ClusterNode = nodes[fault.target % nodes.length]!;
      target = node.name;
      await node.crash();
      await sleep(ctx.downMs);
      await node.restart();
      break;
    }
    default:
      throw new Error(`unknown fault ${fault.kind}`);
  }
  const endedAt = action === 'kill' || action === 'remove' ? startedAt : performance.now();
  ctx.log(`fault ${fault.kind} on ${target} injected`);
  const [readyAfterS, mappersReadyAfterS] = await Promise.all([readyAfter(ctx.fleet.instances, endedAt), readyAfter(ctx.fleet.live('mapper'), endedAt)]);
  return { fault, target, startedAt, endedAt, readyAfterS, mappersReadyAfterS };
}

function pick(fleet: Fleet, kind: ServiceKind, index: number): Instance {
  const live = fleet.live(kind);
  if (live.length === 0) throw new Error(`no live ${kind} to fault`);
  return live[index % live.length]!;
}

/** Seconds from `since` until every instance answers ready (polled). */
async function readyAfter(instances: readonly Instance[], since: number): Promise<number | null> {
  const deadline = performance.now() + READY_DEADLINE_MS;
  while (performance.now() < deadline) {
    if ((await Promise.all(instances.map((i) => i.ready()))).every(Boolean)) return (performance.now() - since) / 1000;
    await sleep(250);
  }
  return null;
}
