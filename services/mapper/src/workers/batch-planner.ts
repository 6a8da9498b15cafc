// The CPU-bound part of a consumed batch, as it runs on a map worker: decode each raw value,
// plan it, and — once the consumer's thread has applied product changes and looked the
// variants up — map and encode. Plans wait here between the two steps, keyed by batch id.
import { TOPIC_CONTRACTS } from '../../../../src/contracts/index.js';
import type { RawWebhookEnvelope } from '../../../../src/contracts/raw-envelope.js';
import type { MappedDraftOrder } from '../../../../src/domain/model.js';
import { noteWebhook, type LastWebhooks } from '../../../../src/map-stage/last-webhook.js';
import { encodeMapped, summarise, type EncodedBatch, type PlanSummary } from '../../../../src/map-stage/map-batch.js';
import { planEnvelope, type RecordPlan } from '../../../../src/map-stage/record-plan.js';
import type { AppConfig, InfraSettings, Names } from '../../../../src/shared/config/index.js';
import { Infra } from '../../../../src/shared/infra.js';
import { createLogger } from '../../../../src/shared/log.js';
import type { RegisteredValueReader } from '../../../../src/shared/registry/registered-value.js';
import { registeredCodec, type TopicCodec } from '../../../../src/shared/registry/schemas.js';
import type { LookupResult } from '../../../../src/variant-mappings/index.js';

export interface PlannerSetup {
  readonly config: AppConfig;
  readonly infra: InfraSettings;
  readonly names: Names;
  /** The id the mapped topic's schema was registered under (by the consumer's thread). */
  readonly mappedSchemaId: number;
  readonly logLevel: string;
}

export class BatchPlanner {
  private readonly waiting = new Map<number, { readonly plan: RecordPlan }[]>();

  private constructor(
    private config: AppConfig,
    private readonly decoder: RegisteredValueReader<RawWebhookEnvelope>,
    private readonly mappedCodec: TopicCodec<MappedDraftOrder>,
  ) {}

  /** A worker's own registry client (it only reads schemas); nothing else is opened here. */
  static create(setup: PlannerSetup): BatchPlanner {
    const infra = new Infra({ settings: setup.infra, names: setup.names, clientId: 'map-worker', logger: createLogger('map-worker', setup.logLevel) });
    const mappedCodec = registeredCodec(infra.registry(), infra.topics.mapped, TOPIC_CONTRACTS.mapped, setup.mappedSchemaId);
    return new BatchPlanner(setup.config, infra.envelopeReader(), mappedCodec);
  }

  /** Throws while the registry does not answer (the batch is redone); bad values become dead plans. */
  async plan(batchId: number, values: readonly (Buffer | null)[]): Promise<{ summaries: PlanSummary[]; lastWebhooks: LastWebhooks }> {
    await this.decoder.prepare(values);
    const lastWebhooks: LastWebhooks = {};
    const planned = values.map((value) => {
      const envelope = this.decoder.read(value);
      if (!envelope.ok) return { shopifyTopic: '', plan: { kind: 'dead', class: 'decode', reason: envelope.reason } satisfies RecordPlan };
      noteWebhook(lastWebhooks, envelope.value);
      return { shopifyTopic: envelope.value.topic, plan: planEnvelope(envelope.value, this.config) };
    });
    this.waiting.set(batchId, planned);
    return { summaries: planned.map(({ plan, shopifyTopic }) => summarise(plan, shopifyTopic)), lastWebhooks };
  }

  /** Plans made from now on use it; batches planned already keep the settings they were planned with. */
  useConfig(config: AppConfig): void {
    this.config = config;
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
