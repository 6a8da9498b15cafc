// One module per topic value: the type mirroring its schema, the record check, the Avro
// conversion and the builder. TOPIC_CONTRACTS names each topic's contract once.
import { connectionSettingsContract, settingChangeContract } from './connection-settings.js';
import { deadLetterContract } from './dead-letter.js';
import { mappedDraftOrderContract } from './mapped-draft-order.js';
import { rawEnvelopeContract } from './raw-envelope.js';
import { syncEventContract } from './sync-event.js';

export { connectionSettingsContract, settingChangeContract, type ConnectionSettingChange, type ConnectionSettingsRecord } from './connection-settings.js';
export { deadLetterContract, deadLetterFor, webhookSource, type DeadLetter, type PipelineStage, type SourceRecord } from './dead-letter.js';
export { fromAvro, mappedDraftOrderContract, toAvro, type AvroMappedDraftOrder } from './mapped-draft-order.js';
export { rawEnvelope, rawEnvelopeContract, type EnvelopeOriginKind, type EnvelopeSource, type RawWebhookEnvelope } from './raw-envelope.js';
export { COALESCED_REASON, coalescedEvent, syncEvent, syncEventContract, type DraftOrderSyncEvent, type EventDetails, type SyncOutcome } from './sync-event.js';
export type { TopicContract, TopicKey } from './topic-contract.js';

export const TOPIC_CONTRACTS = {
  raw: rawEnvelopeContract,
  mapped: mappedDraftOrderContract,
  events: syncEventContract,
  dlq: deadLetterContract,
  settings: connectionSettingsContract,
  settingsAudit: settingChangeContract,
} as const;
