// Time to resume: after a fault, the longest stretch any partition went without a writer outcome.
// Under a steady load every partition has work all the time, so a stall shows as a gap in its
// outcomes; a gap that began before the fault is counted from the fault.

export interface Gap {
  readonly seconds: number;
  /** When the longest gap ended (performance.now() ms). */
  readonly endedAt: number;
  /** The partition it was on (null: no gap at all), to find the stalled owner in the logs. */
  readonly partition: number | null;
}

/**
 * The longest gap between outcome arrivals on any partition, among the gaps that start in
 * [from, until). Partitions without any outcome after `from` are left out (the load had ended).
 * `clip`: a gap still open at `until` counts only up to it — when the next fault starts there,
 * after this one had resumed, the rest of that gap is the next fault's.
 */
export function longestGap(arrivalsByPartition: ReadonlyMap<number, readonly number[]>, from: number, until: number, clip = false): Gap {
  let worst: Gap = { seconds: 0, endedAt: from, partition: null };
  for (const [partition, arrivals] of arrivalsByPartition) {
    let previous = from;
    for (const at of arrivals) {
      if (at <= from) continue;
      if (previous >= until) break;
      const end = clip ? Math.min(at, until) : at;
      if (end - previous > worst.seconds * 1000) worst = { seconds: (end - previous) / 1000, endedAt: end, partition };
      previous = at;
    }
  }
  return worst;
}

/** Whether each of `partitions` had an outcome after `since`: the pipeline applies everywhere again. */
export function resumedOnEvery(outcomes: readonly { readonly partition: number; readonly at: number }[], partitions: ReadonlySet<number>, since: number): boolean {
  const pending = new Set(partitions);
  // Newest first: the outcomes since the fault are at the end.
  for (let i = outcomes.length - 1; i >= 0 && pending.size > 0; i--) {
    const o = outcomes[i]!;
    if (o.at <= since) break;
    pending.delete(o.partition);
  }
  return pending.size === 0;
}

export function byPartition(outcomes: readonly { readonly partition: number; readonly at: number }[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const o of outcomes) {
    const list = out.get(o.partition);
    if (list) list.push(o.at);
    else out.set(o.partition, [o.at]);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}
