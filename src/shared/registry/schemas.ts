// Topic values in the registry: each topic's contract (src/contracts) registered per topic
// (TopicNameStrategy, `<topic>-value`) with BACKWARD compatibility, and its codec.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro, { type Type } from 'avsc';
import { rawEnvelopeContract } from '../../contracts/raw-envelope.js';
import type { TopicContract } from '../../contracts/topic-contract.js';
import { retry } from '../retry.js';
import { FramedValues, frameValue } from './wire-format.js';

/** The project's schemas/ folder, found upwards from here (works from src/ and from a dist/ build). */
export const schemasDir = findUp(path.dirname(fileURLToPath(import.meta.url)), 'schemas');

function findUp(from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (existsSync(path.join(candidate, rawEnvelopeContract.schemaFile))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name}/ not found above ${from}`);
  }
}

export function readSchema(file: string): string {
  return readFileSync(path.join(schemasDir, file), 'utf8');
}

/** The client the bootstrap (src/shared/infra.ts) hands out; a worker thread makes its own. */
export function createRegistry(url: string): SchemaRegistry {
  return new SchemaRegistry({ host: url, retry: { retries: 3, initialRetryTimeInSecs: 0.2 } });
}

/** Encodes values of one topic with its registered schema id; decodes any registered id. */
export class TopicCodec<T> {
  constructor(
    private readonly registry: SchemaRegistry,
    readonly contract: TopicContract<T>,
    readonly subject: string,
    readonly schemaId: number,
    private readonly type: Type,
  ) {}

  /** Synchronous: the schema is known since registration, so hot paths pay no promise per record. */
  encode(value: T): Buffer {
    return frameValue(this.schemaId, this.type.toBuffer(this.contract.write(value)));
  }

  /** A batch's values, encoded back to back into one buffer. */
  batch(): FramedValues<T> {
    return new FramedValues<T>(this.schemaId, this.type, (value) => this.contract.write(value));
  }

  /** Decodes a value of any registered schema; throws when it is not one of this topic's. */
  async decode(buffer: Buffer): Promise<T> {
    const read = this.contract.read(await this.registry.decode(buffer));
    if (!read.ok) throw new Error(read.reason);
    return read.value;
  }
}

/** Registers (idempotently) the contract's schema for a topic and returns its codec. */
export async function registerTopicSchema<T>(registry: SchemaRegistry, topic: string, contract: TopicContract<T>): Promise<TopicCodec<T>> {
  const { id } = await retry(
    () => registry.register({ type: SchemaType.AVRO, schema: readSchema(contract.schemaFile) }, { subject: `${topic}-value`, compatibility: COMPATIBILITY.BACKWARD }),
    { attempts: 5, baseDelayMs: 25, maxDelayMs: 250, retryIf: lostRegistrationRace },
  );
  return registeredCodec(registry, topic, contract, id);
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
export function registeredCodec<T>(registry: SchemaRegistry, topic: string, contract: TopicContract<T>, schemaId: number): TopicCodec<T> {
  // The same schema text the registry holds under the id, so values encode exactly as it would.
  const type = avro.Type.forSchema(JSON.parse(readSchema(contract.schemaFile)) as avro.Schema);
  return new TopicCodec<T>(registry, contract, `${topic}-value`, schemaId, type);
}
