import { decodeCursor, encodeCursor, keysetPage } from './cursor-pagination';

class BadCursor extends Error {}
const invalid = (message: string) => new BadCursor(message);
const readPair = (fields: readonly unknown[], refuse: (why?: string) => never) => {
  const [order, id] = fields;
  if (order !== 'asc') refuse(`belongs to another order (${String(order)})`);
  if (typeof id !== 'string') refuse();
  return { order, id: id };
};

describe('cursor pagination', () => {
  it('reads back what it encoded', () => {
    expect(decodeCursor(encodeCursor(['asc', 'x']), 2, invalid, readPair)).toEqual({ order: 'asc', id: 'x' });
  });

  it.each([
    ['not base64url', 'a+b/'],
    ['not JSON', Buffer.from('{', 'utf8').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify([2, 'asc', 'x'])).toString('base64url')],
    ['too few fields', encodeCursor(['asc'])],
    ['a field of the wrong type', encodeCursor(['asc', 7])],
  ])('refuses a cursor it did not issue: %s', (_, cursor) => {
    expect(() => decodeCursor(cursor, 2, invalid, readPair)).toThrow(
      new BadCursor('cursor is not one this API issued; pass nextCursor from the previous page unchanged'),
    );
  });

  it('says when a cursor belongs to another order', () => {
    expect(() => decodeCursor(encodeCursor(['desc', 'x']), 2, invalid, readPair)).toThrow(
      /^cursor belongs to another order \(desc\); pass nextCursor/,
    );
  });

  it('gives a next cursor only when more rows were fetched than the page holds', () => {
    expect(keysetPage([1, 2, 3], 2, (last) => `after ${last}`)).toEqual({ rows: [1, 2], nextCursor: 'after 2' });
    expect(keysetPage([1, 2], 2, (last) => `after ${last}`)).toEqual({ rows: [1, 2], nextCursor: null });
    expect(keysetPage([], 2, (last) => `after ${String(last)}`)).toEqual({ rows: [], nextCursor: null });
  });
});
