// Every writer outcome of the run as it arrives (the sync-events topic, read_committed), with
// the partition it came on and when: the checker's "answered but no outcome" and the resume times.
import type { Consumer } from 'kafkajs';
import type { Infra } from '../src/shared/infra.js';
import { uniqueId } from '../test/support/infra.js';
import { waitFor } from '../test/support/wait.js';

export interface ObservedOutcome {
  readonly key: string;
  /** Version as an instant (ms). */
  readonly version: number;
  readonly outcome: string;
  readonly reason: string | null;
  readonly partition: number;
  /** performance.now() when it arrived. */
  readonly at: number;
}

export class OutcomeFeed {
  readonly items: ObservedOutcome[] = [];

  private constructor(private readonly consumer: Consumer) {}

  /** Resolves once the feed's consumer is in its group (a fresh broker's coordinator may take a while). */
  static async start(infra: Infra, timeoutMs = 60_000): Promise<OutcomeFeed> {
    const codecs = await infra.codecs();
    const consumer = infra.kafka().consumer({ groupId: uniqueId('chaos-outcomes'), readUncommitted: false, maxWaitTimeInMs: 100 });
    const feed = new OutcomeFeed(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topic: infra.topics.events, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        if (!message.value) return;
        const event = await codecs.events.decode(message.value);
        feed.items.push({ key: event.key, version: Date.parse(event.version), outcome: event.outcome, reason: event.reason, partition, at: performance.now() });
      },
    });
    await waitFor('the outcome feed in its group', () => joined, { timeoutMs, intervalMs: 100 });
    return feed;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
