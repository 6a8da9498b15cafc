// Consumer lag of a group on a topic: records not yet committed, per partition and in total.
import type { Admin } from 'kafkajs';

export interface GroupLag {
  readonly groupId: string;
  readonly topic: string;
  readonly total: number;
  /** False when the group never committed on this topic. */
  readonly committed: boolean;
  readonly partitions: readonly { readonly partition: number; readonly lag: number }[];
}

export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<GroupLag> {
  const [ends, groups] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committedAt = new Map((groups.find((g) => g.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  let committed = false;
  const partitions = ends
    .map((p) => {
      const at = committedAt.get(p.partition) ?? -1n;
      if (at >= 0n) committed = true;
      // Never committed: everything retained is still to do.
      const from = at >= 0n ? at : BigInt(p.low);
      return { partition: p.partition, lag: Math.max(0, Number(BigInt(p.high) - from)) };
    })
    .sort((a, b) => a.partition - b.partition);
  return { groupId, topic, total: partitions.reduce((n, p) => n + p.lag, 0), committed, partitions };
}
