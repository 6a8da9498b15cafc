import { describe, expect, it } from 'vitest';
import { isCompletedRefusal, isNotFound } from './source-store.js';

describe('userError readers', () => {
  it('recognises a vanished draft, not a missing customer', () => {
    expect(isNotFound([{ field: ['id'], message: 'Draft order does not exist' }])).toBe(true);
    expect(isNotFound([{ field: null, message: 'Draft order not found' }])).toBe(true);
    expect(isNotFound([{ field: ['purchasingEntity', 'customerId'], message: 'Customer does not exist' }])).toBe(false);
  });

  it('recognises refusals because the draft is completed', () => {
    expect(isCompletedRefusal([{ field: ['id'], message: 'Draft order has been completed and can no longer be edited' }])).toBe(true);
    expect(isCompletedRefusal([{ field: ['id'], message: 'Completed draft orders cannot be deleted' }])).toBe(true);
    expect(isCompletedRefusal([{ field: ['lineItems'], message: 'Add at least 1 product' }])).toBe(false);
  });
});
