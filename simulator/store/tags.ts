// Shopify tag normalisation: trimmed, blank ones dropped, duplicates (case-insensitive) merged,
// returned alphabetically.
export const MAX_TAG_LENGTH = 40;

export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

/** Tags as REST bodies carry them: "a, b, c". */
export function tagsString(tags: readonly string[]): string {
  return tags.join(', ');
}

/** "a, b" → ["a","b"] (control API convenience: REST-style tag strings). */
export function splitTags(value: string): string[] {
  return value.split(',').map((t) => t.trim()).filter(Boolean);
}
