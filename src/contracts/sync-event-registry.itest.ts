// The event schema through the real registry, as the writer will publish it.
import { describe, expect, it } from 'vitest';
import { registerTopicSchema } from '../shared/registry/schemas.js';
import { testRegistry, uniqueId } from '../../test/support/infra.js';
import { mappedRecord } from '../../test/support/mapped-fixtures.js';
import { syncEvent, syncEventContract } from './sync-event.js';

describe('DraftOrderSyncEvent on the registry', () => {
  it('registers with BACKWARD compatibility and round-trips an event in the wire format', async () => {
    const codec = await registerTopicSchema(testRegistry(), uniqueId('sync-events'), syncEventContract);
    const event = syncEvent(mappedRecord({ missingVariants: ['1', '2'] }), 'INVOICE_SKIPPED', { reason: 'no recipient', sourceDraftId: 'gid://shopify/DraftOrder/1', sourceDraftName: '#D1' }, new Date());
    const decoded = await codec.decode(codec.encode(event));
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(event);
  });
});
