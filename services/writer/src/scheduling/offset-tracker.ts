// Which offset of one partition may be committed: everything below the lowest record not
// yet finished. Records are registered in offset order and may finish in any order.

export class OffsetTracker {
  /** Unfinished-or-not-yet-trimmed offsets in registration (= offset) order. */
  private readonly log: { readonly offset: bigint; done: boolean }[] = [];
  private readonly byOffset = new Map<bigint, { readonly offset: bigint; done: boolean }>();
  /** Next offset to commit once the log is empty; null before anything finished. */
  private committedUpTo: bigint | null = null;

  register(offset: bigint): void {
    const last = this.log[this.log.length - 1];
    if (last && offset <= last.offset) throw new Error(`offset ${offset} registered after ${last.offset}`);
    const entry = { offset, done: false };
    this.log.push(entry);
    this.byOffset.set(offset, entry);
  }

  finish(offset: bigint): void {
    const entry = this.byOffset.get(offset);
    if (!entry) return;
    entry.done = true;
    this.byOffset.delete(offset);
    // Trim finished records from the head: the commit point moves past them.
    for (let head = this.log[0]; head?.done; head = this.log[0]) {
      this.log.shift();
      this.committedUpTo = head.offset + 1n;
    }
  }

  /**
   * The offset to commit (Kafka's "next offset to read"): the lowest unfinished offset, or
   * one past the last finished when nothing is outstanding; null when nothing finished yet.
   */
  committable(): bigint | null {
    const head = this.log[0];
    // Offsets may have gaps (transaction markers, compaction): the head itself is the bound.
    if (head) return this.committedUpTo === null ? null : head.offset;
    return this.committedUpTo;
  }

  get outstanding(): number {
    return this.log.length;
  }
}
