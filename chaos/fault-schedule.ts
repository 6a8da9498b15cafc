// The fault schedule: which fault when, drawn from the seed, so `--seed` replays it exactly.
import type { Random } from '../simulator/core/random.js';

export const FAULT_KINDS = [
  'kill-ingest',
  'kill-mapper',
  'kill-writer',
  'pause-mapper',
  'pause-writer',
  'add-mapper',
  'add-writer',
  'remove-mapper',
  'remove-writer',
  'restart-broker',
  'restart-redis',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  /** ms after the load started. */
  readonly at: number;
  readonly kind: FaultKind;
  /** Picks the instance (index modulo the live ones of its kind) or the broker / Redis node. */
  readonly target: number;
}

export interface ScheduleOptions {
  readonly kinds: readonly FaultKind[];
  /** Faults fall between these (ms after the load started), evenly spaced with jitter, in a seeded order. */
  readonly fromMs: number;
  readonly toMs: number;
}

export function scheduleFaults(random: Random, o: ScheduleOptions): Fault[] {
  const kinds = [...o.kinds];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  // An instance is added before one of its kind is removed: the fleet never drops below its base size.
  for (const kind of ['mapper', 'writer'] as const) {
    const add = kinds.indexOf(`add-${kind}`);
    const remove = kinds.indexOf(`remove-${kind}`);
    if (add >= 0 && remove >= 0 && remove < add) [kinds[add], kinds[remove]] = [kinds[remove]!, kinds[add]!];
  }
  const slot = kinds.length > 0 ? (o.toMs - o.fromMs) / kinds.length : 0;
  return kinds.map((kind, i) => ({ at: Math.round(o.fromMs + slot * (i + 0.25 + random() * 0.5)), kind, target: Math.floor(random() * 1000) }));
}

export function formatSchedule(faults: readonly Fault[]): string {
  return faults.map((f) => `  t+${(f.at / 1000).toFixed(1).padStart(6)} s  ${f.kind} (target ${f.target})`).join('\n');
}

export function parseKinds(text: string): FaultKind[] {
  const kinds = text.split(',').map((k) => k.trim()).filter(Boolean);
  for (const k of kinds) if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new Error(`unknown fault kind ${k} (known: ${FAULT_KINDS.join(', ')})`);
  return kinds as FaultKind[];
}
