// The map worker pool against the real registry: batches spread over the workers, a batch's
// two steps stay on its worker, bad values come back as dead plans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/shared/log.js';
import { TOPIC_CONTRACTS } from '../../../../src/contracts/index.js';
import { topicNames } from '../../../../src/shared/kafka/topics.js';
import { registerTopicSchema } from '../../../../src/shared/registry/schemas.js';
import { serviceSettings, testRegistry, uniqueId } from '../../../../test/support/infra.js';
import { mapperTestConfig } from '../../../../test/support/mapper-harness.js';
import { MapWorkers } from './map-workers.js';

describe('map workers', () => {
  let pool: MapWorkers;

  beforeAll(async () => {
    const topics = topicNames(`${uniqueId('map-workers')}.`);
    const { schemaId } = await registerTopicSchema(testRegistry(), topics.mapped, TOPIC_CONTRACTS.mapped);
    const setup = { config: mapperTestConfig(), ...serviceSettings(topics), mappedSchemaId: schemaId, logLevel: 'silent' };
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
