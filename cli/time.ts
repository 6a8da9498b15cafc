// Times and durations as operators type them: ISO-8601 instants, epoch milliseconds, or
// "how long ago" (`90m`, `2h`, `7d`); durations as `30s`, `5m`, `1h`.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`${text}: expected a duration such as 30s, 5m, 1h, 2d`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}

/** Epoch ms of an instant: ISO-8601, epoch ms digits, or a duration meaning "that long before now". */
export function parseInstant(text: string, now = Date.now()): number {
  const trimmed = text.trim();
  if (/^\d{12,}$/.test(trimmed)) return Number(trimmed);
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d)$/.test(trimmed)) return now - parseDuration(trimmed);
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) throw new Error(`${text}: expected an ISO-8601 time, epoch milliseconds, or a duration ago (e.g. 2h)`);
  return ms;
}
