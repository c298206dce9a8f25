import { ValidationError } from '@platform/core';

export const LIST_SORTS = ['name', '-name', 'health', '-createdAt'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

/** The sort key of the last row of a page plus its id (keyset pagination: stable under inserts). */
export type CursorKey = Array<string | number>;

interface CursorPayload {
  s: ListSort;
  k: CursorKey;
}

/** Opaque to clients: base64url of the sort and the last row's key. */
export function encodeCursor(sort: ListSort, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key } satisfies CursorPayload)).toString('base64url');
}

const KEY_SHAPES: Record<ListSort, Array<'string' | 'number'>> = {
  name: ['string', 'string'],
  '-name': ['string', 'string'],
  health: ['number', 'string', 'string'],
  '-createdAt': ['string', 'string'],
};

function invalidCursor(message: string): ValidationError {
  return new ValidationError('The cursor is not valid for this request', [{ field: 'cursor', message }]);
}

/** The key to continue after; a cursor made for another sort order (or tampered with) is a 400. */
export function decodeCursor(cursor: string, sort: ListSort): CursorKey {
  let payload: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('cursor must be a value returned as nextCursor');
  }
  const p = payload as Partial<CursorPayload>;
  if (typeof p !== 'object' || p === null || p.s !== sort) {
    throw invalidCursor('cursor belongs to another sort order; start again without a cursor');
  }
  const shape = KEY_SHAPES[sort];
  if (!Array.isArray(p.k) || p.k.length !== shape.length || !p.k.every((v, i) => typeof v === shape[i])) {
    throw invalidCursor('cursor must be a value returned as nextCursor');
  }
  if (sort === '-createdAt' && Number.isNaN(Date.parse(p.k[0] as string))) {
    throw invalidCursor('cursor must be a value returned as nextCursor');
  }
  return p.k;
}
