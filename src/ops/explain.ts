// explain: the story of one origin record — "eu-brand's #D1042 is not in mainbrand: why?".
// Every raw record for it (with the mapper's result and the writer's outcomes), its dead
// letters, the writer's link, the source copy as the source store holds it now, and a verdict
// with the command that fixes it. Only the key's partition of each topic is read; the stores
// are asked once each (the destination only to resolve a name, or to confirm an id nothing
// was received for).
import type { RawWebhookEnvelope } from '../contracts/raw-envelope.js';
import type { DraftOrderSyncEvent } from '../contracts/sync-event.js';
import { recordKey, syncTagFor } from '../domain/keys.js';
import type { MappedDraftOrder } from '../domain/model.js';
import { isEmptyLink, type Link } from '../links/link.js';
import { LinkStore } from '../links/link-store.js';
import type { AppConfig, StoreConfig } from '../shared/config/index.js';
import type { Infra } from '../shared/infra.js';
import type { AdminGraphql } from '../shopify/admin-client.js';
import { pacedClient } from '../shopify/requester.js';
import { RedisMappingStore } from '../variant-mappings/index.js';
import { readDeadLetters, type DlqEntry } from './dlq.js';
import { eventFacts, mappedFacts, rawFacts, type DeadLetterFact, type DestinationFact, type ExplainFacts, type KeyRecord, type LinkFact } from './explain-facts.js';
import { ExplainInputError, resolveTarget, shortShop } from './explain-ref.js';
import { findById, findByName, findSourceCopy } from './explain-stores.js';
import { partitionCounts, partitionForKey, readKey } from './explain-topics.js';
import { decideVerdict, type Verdict } from './explain-verdict.js';
import { peekVersion } from './replay/select.js';

export { formatStory } from './explain-format.js';
export { ACCEPTED_REFS, ExplainInputError } from './explain-ref.js';
export type { Verdict, VerdictKind } from './explain-verdict.js';

export interface ExplainOptions {
  readonly shop: string;
  /** A draft id, `#D` name, order `#name` or order id (see ACCEPTED_REFS). */
  readonly ref: string;
  /** Read the topics from this time (epoch ms) instead of their beginning. */
  readonly sinceMs?: number;
}

/** A store's Admin API client; tests pass their own. */
export type ClientFor = (store: StoreConfig) => AdminGraphql;

export interface RecordStory extends ExplainFacts {
  readonly verdict: Verdict;
}

export async function explainRecord(infra: Infra, config: AppConfig, opts: ExplainOptions, clientFor: ClientFor = (store) => pacedClient(store)): Promise<RecordStory> {
  const target = resolveTarget(config, opts.shop, opts.ref);
  const { shop, ref, connection } = target;
  let destination: DestinationFact | null = null;
  let id: string;
  if (ref.by === 'name') {
    destination = await findByName(clientFor(target.destinationStore), ref.kind, ref.name);
    if (destination.state === 'missing') {
      throw new ExplainInputError(`${shortShop(shop)} has no ${ref.kind === 'order' ? 'order' : 'draft order'} named ${ref.name} (a deleted one cannot be found by name: pass its id)`);
    }
    id = destination.id;
  } else id = ref.id;
  const key = recordKey(shop, ref.kind, id);

  const admin = await infra.admin();
  const codecs = await infra.codecs();
  const { topics } = infra;
  const counts = await partitionCounts(admin, [topics.raw, topics.mapped, topics.events]);
  const partitionOf = (topic: string): number => partitionForKey(key, counts.get(topic) ?? 1);
  const read = (topic: string) =>
    readKey(infra.kafka(), admin, { topic, key, partition: partitionOf(topic), groupPrefix: infra.topicPrefix, ...(opts.sinceMs !== undefined ? { sinceMs: opts.sinceMs } : {}) });
  const links = new LinkStore(infra.redis(), { prefix: infra.names.writerPrefix });
  const [rawRead, mappedRead, eventsRead, letters, link] = await Promise.all([read(topics.raw), read(topics.mapped), read(topics.events), readDeadLetters(infra), links.get(key)]);

  const reader = infra.envelopeReader();
  const envelopes = await decodeAll(rawRead.records, async (v) => {
    const decoded = await reader.decode(v);
    return decoded.ok ? decoded.value : null;
  });
  const mappedRecords = await decodeAll(mappedRead.records, (v) => codecs.mapped.decode(v));
  const eventRecords = await decodeAll(eventsRead.records, (v) => codecs.events.decode(v));
  const mappedNow = await currentMappings(infra, connection.id, mappedRecords);

  const raw = rawFacts(envelopes, peekVersion, peekName);
  const mapped = mappedFacts(mappedRecords, raw, mappedNow);
  const events = eventFacts(eventRecords, mappedRecords);
  const deadLetters = await letterFacts(infra, letters.filter((e) => e.letter.key === key));
  const linkFact = isEmptyLink(link) ? null : toLinkFact(link);

  const sourceCopy = await findSourceCopy(clientFor(target.sourceStore), link.sourceDraftId ? { id: link.sourceDraftId } : { tag: syncTagFor(key) });
  // Nothing received for an id: whether the destination has it at all tells a typo from a lost webhook.
  if (destination === null && raw.length === 0 && mapped.length === 0 && events.length === 0 && linkFact === null && deadLetters.length === 0) {
    destination = await findById(clientFor(target.destinationStore), ref.kind, id).catch(() => null);
  }

  const facts: ExplainFacts = {
    shop,
    kind: ref.kind,
    id,
    key,
    name: ref.by === 'name' ? ref.name : destination?.state === 'found' ? destination.name : lastName(raw, eventRecords),
    connectionId: connection.id,
    sourceShop: connection.sourceShop,
    unmappedPolicy: connection.unmapped,
    orderTrigger: connection.orderTrigger,
    since: opts.sinceMs === undefined ? null : new Date(opts.sinceMs).toISOString(),
    partitions: { raw: rawRead.partition, mapped: mappedRead.partition, events: eventsRead.partition },
    destination,
    raw,
    mapped,
    events,
    deadLetters,
    link: linkFact,
    sourceCopy,
  };
  return { ...facts, verdict: decideVerdict(facts) };
}

/** Values that cannot be decoded are left out (the stages dead-lettered them; their letters tell). */
async function decodeAll<T>(records: readonly KeyRecord<Buffer>[], decode: (value: Buffer) => Promise<T | null>): Promise<KeyRecord<T>[]> {
  const out: KeyRecord<T>[] = [];
  for (const record of records) {
    const value = await decode(record.value).catch(() => null);
    if (value !== null) out.push({ ...record, value });
  }
  return out;
}

/** Which of the variants the mapper found unmapped are mapped now (one lookup). */
async function currentMappings(infra: Infra, connectionId: string, mapped: readonly KeyRecord<MappedDraftOrder>[]): Promise<Map<string, string>> {
  const variantIds = [...new Set(mapped.flatMap((m) => m.value.missingVariants))];
  if (variantIds.length === 0) return new Map();
  const store = new RedisMappingStore(infra.redis(), { prefix: infra.names.mappingPrefix });
  return (await store.lookupMany([{ connectionId, variantIds }])).get(connectionId) ?? new Map();
}

async function letterFacts(infra: Infra, entries: readonly DlqEntry[]): Promise<DeadLetterFact[]> {
  const codecs = await infra.codecs();
  const reader = infra.envelopeReader();
  // A letter holds its record's bytes: the writer's a mapped record, the mapper's a raw envelope.
  const versionOf = async ({ letter }: DlqEntry): Promise<string | null> => {
    if (letter.stage === 'writer') return (await codecs.mapped.decode(letter.payload)).version;
    if (letter.stage !== 'mapper') return null;
    const envelope = await reader.decode(letter.payload);
    return envelope.ok ? peekVersion(envelope.value) : null;
  };
  return Promise.all(
    entries.map(async (entry) => ({
      id: entry.letter.id,
      stage: entry.letter.stage,
      reason: entry.letter.reason,
      failedAt: new Date(Number(entry.letter.failedAt)).toISOString(),
      originTopic: entry.letter.originTopic,
      originOffset: entry.letter.originOffset,
      version: await versionOf(entry).catch(() => null),
      redriven: entry.redriven,
    })),
  );
}

function toLinkFact(link: Link): LinkFact {
  return {
    sourceDraftId: link.sourceDraftId,
    sourceDraftName: link.sourceDraftName,
    appliedVersion: link.appliedVersion,
    status: link.status,
    invoiceSent: link.invoiceSent,
    createIntentAt: link.createIntentAt === null ? null : new Date(link.createIntentAt).toISOString(),
  };
}

/** The draft's (or order's) name from its body; deletes carry none. */
export function peekName(envelope: RawWebhookEnvelope): string | null {
  if (envelope.topic.toLowerCase().endsWith('/delete')) return null;
  try {
    const body: unknown = JSON.parse(envelope.body.toString('utf8'));
    const name = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).name : undefined;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

function lastName(raw: ExplainFacts['raw'], events: readonly KeyRecord<DraftOrderSyncEvent>[]): string | null {
  return raw.map((r) => r.name).filter((n): n is string => n !== null).at(-1) ?? events.map((e) => e.value.origin.name).filter((n): n is string => n !== null).at(-1) ?? null;
}
