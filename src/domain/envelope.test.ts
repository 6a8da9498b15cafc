import { describe, expect, it } from 'vitest';
import { originIdOf, originKindOf } from './envelope.js';

describe('originKindOf', () => {
  it('maps handled topics to their origin kind and others to null', () => {
    expect(originKindOf('draft_orders/update')).toBe('draft');
    expect(originKindOf('DRAFT_ORDERS/DELETE')).toBe('draft');
    expect(originKindOf('orders/create')).toBe('order');
    expect(originKindOf('products/update')).toBe('product');
    expect(originKindOf('orders/updated')).toBeNull();
    expect(originKindOf('app/uninstalled')).toBeNull();
  });
});

describe('originIdOf', () => {
  it('reads the top-level id, exactly, even above 2^53', () => {
    expect(originIdOf(Buffer.from('{"line_items":[{"id":5}],"id":1152921504606846976}'))).toEqual({ ok: true, value: '1152921504606846976' });
    expect(originIdOf(Buffer.from('{"id": 42}'))).toEqual({ ok: true, value: '42' });
  });
  it('explains what is wrong with a body it cannot key', () => {
    expect(originIdOf(Buffer.from('not json')).ok).toBe(false);
    expect(originIdOf(Buffer.from('[1]'))).toEqual({ ok: false, reason: 'body: expected a JSON object' });
    expect(originIdOf(Buffer.from('{"id":"abc"}'))).toEqual({ ok: false, reason: 'body.id: expected a positive integer id' });
    expect(originIdOf(Buffer.from('{"name":"x"}'))).toEqual({ ok: false, reason: 'body.id: expected a positive integer id' });
  });
});
