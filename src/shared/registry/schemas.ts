// Avro schemas from schemas/, registered per topic (TopicNameStrategy) with BACKWARD compatibility.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro, { type Type } from 'avsc';
import { FramedValues, frameValue } from './wire-format.js';
import type { TopicNames } from '../kafka/topics.js';

/** The project's schemas/ folder, found upwards from here (works from src/ and from a dist/ build). */
export const schemasDir = findUp(path.dirname(fileURLToPath(import.meta.url)), 'schemas');

function findUp(from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (existsSync(path.join(candidate, 'raw-webhook-envelope.avsc'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name}/ not found above ${from}`);
  }
}

/** Which schema file each topic's values use. */
export const TOPIC_SCHEMAS = {
  raw: 'raw-webhook-envelope.avsc',
  mapped: 'mapped-draft-order.avsc',
  events: 'draft-order-sync-event.avsc',
  dlq: 'dead-letter.avsc',
} as const satisfies Record<keyof TopicNames, string>;

export function readSchema(file: string): string {
  return readFileSync(path.join(schemasDir, file), 'utf8');
}

export function createRegistry(url: string): SchemaRegistry {
  return new SchemaRegistry({ host: url, retry: { retries: 3, initialRetryTimeInSecs: 0.2 } });
}

/** Encodes values of one topic with its registered schema id; decodes any registered id. */
export class TopicCodec<T> {
  constructor(
    private readonly registry: SchemaRegistry,
    readonly subject: string,
    readonly schemaId: number,
    private readonly type: Type,
  ) {}

  /** Synchronous: the schema is known since registration, so hot paths pay no promise per record. */
  encode(value: T): Buffer {
    return frameValue(this.schemaId, this.type.toBuffer(value));
  }

  /** A batch's values, encoded back to back into one buffer. */
  batch(): FramedValues {
    return new FramedValues(this.schemaId, this.type);
  }

  async decode(buffer: Buffer): Promise<T> {
    return (await this.registry.decode(buffer)) as T;
  }
}

/** Registers (idempotently) the schema of a topic and returns its codec. */
export async function registerTopicSchema<T>(registry: SchemaRegistry, topic: string, file: string): Promise<TopicCodec<T>> {
  const register = (): Promise<{ id: number }> =>
    registry.register({ type: SchemaType.AVRO, schema: readSchema(file) }, { subject: `${topic}-value`, compatibility: COMPATIBILITY.BACKWARD });
  for (let attempt = 1; ; attempt++) {
    try {
      return registeredCodec<T>(registry, topic, file, (await register()).id);
    } catch (error) {
      if (attempt >= 5 || !lostRegistrationRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt * Math.random()));
    }
  }
}

/**
 * Services starting together on a fresh registry register one subject at once: the registry
 * refuses the second compatibility rule, or the client reads the subject's config before the
 * other caller's rule is in place. Registration is idempotent, so it is simply done again.
 */
function lostRegistrationRace(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /already exists/i.test(error.message) || /Compatibility does not match the configuration \(\w+ != NONE\)/.test(error.message);
}

/**
 * The codec of a topic schema registered before under `schemaId` (e.g. by another thread:
 * concurrent first registrations of one subject can fail in the registry).
 */
export function registeredCodec<T>(registry: SchemaRegistry, topic: string, file: string, schemaId: number): TopicCodec<T> {
  // The same schema text the registry holds under the id, so values encode exactly as it would.
  return new TopicCodec<T>(registry, `${topic}-value`, schemaId, avro.Type.forSchema(JSON.parse(readSchema(file)) as avro.Schema));
}
