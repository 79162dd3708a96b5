import { InventoryError } from '../../domain/inventory.error';

/** One page of a listing, and the opaque cursor of the next one (null on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Cursors are opaque to clients: the sort key of the last item of a page, base64url-encoded. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key inside a cursor; a cursor that was not produced by `encodeCursor` is a 400. */
export function decodeCursor(cursor: string, length: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== length || !key.every((k) => typeof k === 'string')) {
    throw new InventoryError('INVENTORY.INVALID_REQUEST', 'The cursor is not one this API returned', {
      metadata: { errors: [{ field: 'cursor', message: 'is not a cursor returned by this API' }] },
    });
  }
  return key;
}

/** Turns `limit + 1` rows into a page: the extra row only tells that there is a next page. */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (item: T) => readonly string[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
