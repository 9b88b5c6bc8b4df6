/**
 * Keyset pagination, one way for every paged query: a cursor is the base64url JSON of a version
 * tag, the fields that fix the page's order (sort and order, or a status), and the last row's
 * sort keys, so the next page starts strictly after that row and neither repeats nor skips a row
 * written between two pages. A cursor this API did not issue, or issued for another order, is
 * refused as a 400 naming `cursor`.
 */

const CURSOR_VERSION = 1;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const NOT_ISSUED = 'is not one this API issued';

export type CursorField = string | number;

/** Builds the query's own 400 error for the `cursor` parameter from a message. */
export type InvalidCursor = (message: string) => Error;

/** Throws the refusal: `why` says what is wrong with the cursor (by default, that this API did not issue it). */
export type RefuseCursor = (why?: string) => never;

export function encodeCursor(fields: readonly CursorField[]): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, ...fields]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor back: checks its form and that it holds `fieldCount` fields, then lets `read`
 * check them against the request and build the position, refusing through `refuse`.
 */
export function decodeCursor<P>(
  cursor: string,
  fieldCount: number,
  invalid: InvalidCursor,
  read: (fields: readonly unknown[], refuse: RefuseCursor) => P,
): P {
  const refuse: RefuseCursor = (why = NOT_ISSUED) => {
    throw invalid(`cursor ${why}; pass nextCursor from the previous page unchanged`);
  };
  let decoded: unknown;
  try {
    if (!BASE64URL.test(cursor)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    refuse();
  }
  if (!Array.isArray(decoded) || decoded.length !== fieldCount + 1 || decoded[0] !== CURSOR_VERSION) refuse();
  return read((decoded as unknown[]).slice(1), refuse);
}

export interface KeysetPage<Row> {
  rows: Row[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * The page out of `limit + 1` rows fetched (one more than asked tells whether another page
 * follows), with the cursor of its last row when one does.
 */
export function keysetPage<Row>(fetched: readonly Row[], limit: number, cursorOf: (last: Row) => string): KeysetPage<Row> {
  const rows = fetched.slice(0, limit);
  const last = rows.at(-1);
  return { rows, nextCursor: fetched.length > limit && last !== undefined ? cursorOf(last) : null };
}
