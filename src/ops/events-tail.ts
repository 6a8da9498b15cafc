// events tail: the example consumer of the sync-events topic for internal services — decode
// each DraftOrderSyncEvent with the registry and hand it on (here: one JSON line each).
import type { DraftOrderSyncEvent } from '../domain/model.js';
import type { OpsClients } from '../shared/infra.js';
import { ephemeralGroupId, followTopic, type FollowHandle } from '../shared/kafka/topic-range.js';

export interface TailOptions {
  readonly shop?: string;
  readonly fromBeginning?: boolean;
}

// A real service would keep a durable group and commit after handling each event, so it
// resumes where it stopped; the tail reads with a throw-away group and forgets.

export async function tailEvents(clients: OpsClients, opts: TailOptions, onEvent: (event: DraftOrderSyncEvent) => void | Promise<void>): Promise<FollowHandle> {
  const admin = await clients.admin();
  const codecs = await clients.codecs();
  const shop = opts.shop?.toLowerCase();
  return followTopic(
    clients.kafka,
    admin,
    clients.topics.events,
    opts.fromBeginning ? 'beginning' : 'end',
    async (_partition, message) => {
      if (!message.value) return;
      const event = await codecs.events.decode(message.value);
      if (shop && event.origin.shop !== shop) return;
      await onEvent(event);
    },
    ephemeralGroupId(clients.infra.topicPrefix, 'events-tail'),
  );
}
