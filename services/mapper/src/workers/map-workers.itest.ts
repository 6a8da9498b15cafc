// The map worker pool against the real registry: batches spread over the workers, a batch's
// two steps stay on its worker, bad values come back as dead plans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/shared/log.js';
import { registerTopicSchema, TOPIC_SCHEMAS } from '../../../../src/shared/registry/schemas.js';
import { infraEnv, testRegistry, uniqueId } from '../../../../test/support/infra.js';
import { mapperTestConfig } from '../../../../test/support/mapper-harness.js';
import { MapWorkers } from './map-workers.js';

describe('map workers', () => {
  let pool: MapWorkers;

  beforeAll(async () => {
    const mappedTopic = uniqueId('map-workers.mapped');
    const { schemaId } = await registerTopicSchema(testRegistry(), mappedTopic, TOPIC_SCHEMAS.mapped);
    const setup = { config: mapperTestConfig(), schemaRegistryUrl: infraEnv().registryUrl, mappedTopic, mappedSchemaId: schemaId };
    pool = await MapWorkers.start(setup, { count: 2, logger: createLogger('map-workers-itest', 'silent') });
  });

  afterAll(async () => {
    await pool.close();
  });

  it('hands batches given in the same tick to different workers', async () => {
    const first = pool.plan([Buffer.from('x')]);
    const second = pool.plan([Buffer.from('y')]);
    expect(pool.loads()).toEqual([1, 1]);
    const batches = await Promise.all([first, second]);
    expect(pool.loads()).toEqual([0, 0]);
    for (const batch of batches) {
      expect(batch.summaries).toEqual([expect.objectContaining({ kind: 'dead', class: 'decode' })]);
      expect((await batch.finish(new Map())).records).toEqual([null]);
    }
  });
});
