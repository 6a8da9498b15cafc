// Readiness probe for Kafka: a metadata request, cached briefly so probes stay cheap.
import type { Admin } from 'kafkajs';

export function kafkaReachability(admin: Admin, topic: string, cacheMs = 1000, timeoutMs = 1500): () => Promise<boolean> {
  let last = { at: 0, ok: false };
  let inFlight: Promise<boolean> | null = null;
  return async () => {
    if (Date.now() - last.at < cacheMs) return last.ok;
    inFlight ??= Promise.race([
      admin.fetchTopicMetadata({ topics: [topic] }).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ])
      .catch(() => false)
      .then((ok) => {
        last = { at: Date.now(), ok };
        inFlight = null;
        return ok;
      });
    return inFlight;
  };
}
