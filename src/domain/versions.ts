// Versions are the origin's `updated_at` (or a delete's time): ISO-8601 strings whose
// offsets may differ, so they are compared as instants, not as text.

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return a < b ? -1 : a > b ? 1 : 0;
  return ta - tb;
}

export function isNewer(candidate: string, applied: string | null): boolean {
  return applied === null || compareVersions(candidate, applied) > 0;
}

export function isSameVersion(candidate: string, applied: string | null): boolean {
  return applied !== null && compareVersions(candidate, applied) === 0;
}
