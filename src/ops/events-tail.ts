// events tail: the example consumer of the sync-events topic for internal services — decode
// each DraftOrderSyncEvent with the registry and hand it on (here: one JSON line each).
import type { DraftOrderSyncEvent } from '../contracts/sync-event.js';
import type { Infra } from '../shared/infra.js';
import { ephemeralGroupId, followTopic, type FollowHandle } from '../shared/kafka/topic-range.js';

export interface TailOptions {
  readonly shop?: string;
  readonly fromBeginning?: boolean;
}

// A real service would keep a durable group and commit after handling each event, so it
// resumes where it stopped; the tail reads with a throw-away group and forgets.

export async function tailEvents(infra: Infra, opts: TailOptions, onEvent: (event: DraftOrderSyncEvent) => void | Promise<void>): Promise<FollowHandle> {
  const admin = await infra.admin();
  const codecs = await infra.codecs();
  const shop = opts.shop?.toLowerCase();
  return followTopic(
    infra.kafka(),
    admin,
    infra.topics.events,
    opts.fromBeginning ? 'beginning' : 'end',
    async (_partition, message) => {
      if (!message.value) return;
      const event = await codecs.events.decode(message.value);
      if (shop && event.origin.shop !== shop) return;
      await onEvent(event);
    },
    ephemeralGroupId(infra.topicPrefix, 'events-tail'),
  );
}
