// The CPU-bound part of a consumed batch, as it runs on a map worker: decode each raw value,
// plan it, and — once the consumer's thread has applied product changes and looked the
// variants up — map and encode. Plans wait here between the two steps, keyed by batch id.
import type { AvroMappedDraftOrder } from '../../../../src/contracts/mapped-draft-order.js';
import type { AppConfig } from '../../../../src/shared/config/index.js';
import type { LookupResult } from '../../../../src/variant-mappings/index.js';
import { createRegistry, registeredCodec, TOPIC_SCHEMAS, type TopicCodec } from '../../../../src/shared/registry/schemas.js';
import { EnvelopeDecoder } from '../../../../src/map-stage/envelope-decoder.js';
import { encodeMapped, summarise, type EncodedBatch, type PlanSummary } from '../../../../src/map-stage/map-batch.js';
import { planEnvelope, type RecordPlan } from '../../../../src/map-stage/record-plan.js';

export interface PlannerSetup {
  readonly config: AppConfig;
  readonly schemaRegistryUrl: string;
  /** The mapped topic and the id its schema was registered under (by the consumer's thread). */
  readonly mappedTopic: string;
  readonly mappedSchemaId: number;
}

export class BatchPlanner {
  private readonly waiting = new Map<number, { readonly plan: RecordPlan }[]>();

  private constructor(
    private readonly config: AppConfig,
    private readonly decoder: EnvelopeDecoder,
    private readonly mappedCodec: TopicCodec<AvroMappedDraftOrder>,
  ) {}

  static create(setup: PlannerSetup): BatchPlanner {
    const registry = createRegistry(setup.schemaRegistryUrl);
    const mappedCodec = registeredCodec<AvroMappedDraftOrder>(registry, setup.mappedTopic, TOPIC_SCHEMAS.mapped, setup.mappedSchemaId);
    return new BatchPlanner(setup.config, new EnvelopeDecoder(registry), mappedCodec);
  }

  /** Throws while the registry does not answer (the batch is redone); bad values become dead plans. */
  async plan(batchId: number, values: readonly (Buffer | null)[]): Promise<PlanSummary[]> {
    await this.decoder.prepare(values);
    const planned = values.map((value) => {
      const envelope = this.decoder.read(value);
      if (!envelope.ok) return { shopifyTopic: '', plan: { kind: 'dead', class: 'decode', reason: envelope.reason } satisfies RecordPlan };
      return { shopifyTopic: envelope.value.topic, plan: planEnvelope(envelope.value, this.config) };
    });
    this.waiting.set(batchId, planned);
    return planned.map(({ plan, shopifyTopic }) => summarise(plan, shopifyTopic));
  }

  finish(batchId: number, lookup: LookupResult): EncodedBatch {
    const planned = this.waiting.get(batchId);
    if (!planned) throw new Error(`batch ${batchId} was not planned here`);
    this.waiting.delete(batchId);
    return encodeMapped(planned, lookup, this.mappedCodec);
  }

  discard(batchId: number): void {
    this.waiting.delete(batchId);
  }
}
