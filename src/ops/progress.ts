// How a long operation reports its progress; the CLI shows it on stderr (cli/progress.ts).

export interface Progress {
  /** `total` null when unknown (a bar then shows counts only). */
  start(total: number | null, label: string): void;
  update(done: number, detail?: string): void;
  /** Raises the total (pages discovered as they come). */
  setTotal(total: number): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, setTotal() {}, stop() {} };
