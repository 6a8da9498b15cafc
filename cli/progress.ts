// Progress on stderr: a bar on a terminal, one line per second otherwise (logs, CI, tests).
import cliProgress from 'cli-progress';
import type { Progress } from '../src/ops/progress.js';

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let bar: cliProgress.SingleBar | null = null;
  let started = 0;
  return {
    start(total, label) {
      started = Date.now();
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label} {bar} {value}/{total} ({rate}/s) {detail}`,
          noTTYOutput: true,
          notTTYSchedule: 1000,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total ?? 0, 0, { rate: 0, detail: '' });
    },
    update(done, detail = '') {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar?.update(done, { rate: Math.round(done / seconds), detail });
    },
    setTotal(total) {
      bar?.setTotal(total);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
