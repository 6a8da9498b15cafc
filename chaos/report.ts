// The run's table (stderr, for people) and its one JSON line (stdout, for tools), as the benchmarks do.
import type { ChaosResult } from './run.js';

export function table(r: ChaosResult): string {
  const c = r.check;
  const rows = [
    ['drafts', c.drafts],
    ['versions answered 200', c.versionsAcknowledged],
    ['deliveries (with repeats)', r.sent.sent],
    ['retried deliveries / given up', `${r.sent.retries} / ${r.sent.gaveUp}`],
    ['writer outcomes', r.outcomes],
    ['lost', c.lost],
    ['duplicate copies', c.duplicates],
    ['stale final content', c.stale],
    ['content matching no version', c.mismatched],
    ['200 without an outcome', c.unanswered],
    ['FAILED outcomes', c.failed],
  ];
  const faults = r.faults.map((f) =>
    [
      `t+${f.atS.toFixed(1).padStart(6)} s`,
      f.kind.padEnd(15),
      f.target.padEnd(10),
      `resume ${f.resumeS.toFixed(1).padStart(5)} s${f.partition === null ? '' : ` (p${f.partition})`}`,
      f.afterReturnS === null ? '' : `after return ${f.afterReturnS.toFixed(1)} s`,
      `all ready ${f.readyAfterS === null ? 'never' : `${f.readyAfterS.toFixed(1)} s`}`,
      `mappers ready ${f.mappersReadyAfterS === null ? 'never' : `${f.mappersReadyAfterS.toFixed(1)} s`}`,
    ].join('  '),
  );
  return [
    `chaos run, seed ${r.seed} (${r.stack}), faults ${r.overlap ? 'overlapping, each at its time' : 'one at a time'}, ${r.seconds} s`,
    ...rows.map(([k, v]) => `  ${String(k).padEnd(30)} ${String(v)}`),
    'faults (resume: the longest any partition went without an outcome from the fault on):',
    ...faults.map((f) => `  ${f}`),
    ...(r.skipped.length > 0 ? [`skipped (no load left to measure them): ${r.skipped.map((f) => f.kind).join(', ')}`] : []),
    ...(c.examples.length > 0 ? ['problems:', ...c.examples.map((e) => `  ${e}`)] : []),
    ...(c.examples.length > 0 ? [`services' logs: ${r.logDir}`] : []),
  ].join('\n');
}

/** Worst resume per fault kind, and the worst SIGKILL one (the ≤ 10 s goal). */
export function jsonLine(r: ChaosResult): string {
  const perKind: Record<string, number> = {};
  for (const f of r.faults) perKind[f.kind] = Math.max(perKind[f.kind] ?? 0, f.resumeS);
  const kills = r.faults.filter((f) => f.kind.startsWith('kill-')).map((f) => f.resumeS);
  const brokerReady = r.faults.filter((f) => f.kind === 'restart-broker').map((f) => f.mappersReadyAfterS ?? Number.POSITIVE_INFINITY);
  return JSON.stringify({
    bench: 'chaos',
    seed: r.seed,
    overlap: r.overlap,
    drafts: r.check.drafts,
    versions_acked: r.check.versionsAcknowledged,
    lost: r.check.lost,
    duplicates: r.check.duplicates,
    stale: r.check.stale,
    mismatched: r.check.mismatched,
    unanswered: r.check.unanswered,
    failed: r.check.failed,
    resume_p100_s: Math.max(0, ...r.faults.map((f) => f.resumeS)),
    kill_resume_p100_s: Math.max(0, ...kills),
    mapper_ready_after_broker_s: brokerReady.length > 0 ? Math.max(...brokerReady) : null,
    resume_s: perKind,
    gave_up: r.sent.gaveUp,
    faults_skipped: r.skipped.length,
    seconds: r.seconds,
    stack: r.stack,
  });
}
