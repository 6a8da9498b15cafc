// What a topic's values are: the schema file registered for it, the type that mirrors that
// schema, and the conversion between the type and what avsc reads and writes. The registry
// codecs (src/shared/registry) apply a contract; nothing else names a schema file.
import type { Result } from '../domain/result.js';

/** The product's topics, by role (their names, prefixed, are in src/shared/kafka/topics.ts). */
export type TopicKey = 'raw' | 'mapped' | 'events' | 'dlq' | 'settings' | 'settingsAudit';

export interface TopicContract<T> {
  readonly topic: TopicKey;
  /** The file in schemas/ registered as `<topic>-value`. */
  readonly schemaFile: string;
  /** Named in errors ("not a MappedDraftOrder"). */
  readonly recordType: string;
  /**
   * What avsc decoded → the value, or why not. Another topic's schema decodes too (a
   * wrong-topic record): the check confirms the fields readers rely on.
   */
  read(decoded: unknown): Result<T>;
  /** The value → what avsc encodes. */
  write(value: T): unknown;
}

/** For contracts whose type is the Avro record itself. */
export function asIs<T>(value: T): unknown {
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
