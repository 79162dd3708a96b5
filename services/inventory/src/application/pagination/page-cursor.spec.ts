import { InventoryError } from '../../domain/inventory.error';
import { decodeCursor, encodeCursor, pageOf } from './page-cursor';

describe('page cursors', () => {
  it('round-trips a sort key', () => {
    const cursor = encodeCursor(['2026-01-01T00:00:00.000Z', 'abc']);
    expect(decodeCursor(cursor, 2)).toEqual(['2026-01-01T00:00:00.000Z', 'abc']);
  });

  it.each(['not base64 json', encodeCursor(['one']), Buffer.from('{"a":1}').toString('base64url')])(
    'refuses a foreign cursor %s',
    (cursor) => {
      expect(() => decodeCursor(cursor, 2)).toThrow(InventoryError);
    },
  );

  it('has a next cursor only when a row beyond the limit came back', () => {
    const key = (n: number) => [String(n)];
    expect(pageOf([1, 2, 3], 2, key)).toEqual({ items: [1, 2], nextCursor: encodeCursor(['2']) });
    expect(pageOf([1, 2], 2, key)).toEqual({ items: [1, 2], nextCursor: null });
    expect(pageOf([], 2, key)).toEqual({ items: [], nextCursor: null });
  });
});
