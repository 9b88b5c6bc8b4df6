import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { StatementsBySql } from '../../projections/statement-cache';
import { CATEGORIES, type Category } from '../../custody/values';
import type { Actor } from '../../shared/actor';
import { endOfIndianDay, startOfIndianDay } from '../../shared/indian-day';
import { READ_MODEL_DB } from '../../projections/projection';
import { decodeCursor as decodeKeysetCursor, encodeCursor as encodeKeysetCursor, keysetPage } from '../cursor-pagination';
import { searchKey, type SeizureStatus } from './seizure-search.projection';

export const SEARCH_SORTS = ['seizedAt', 'value'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
export const SEARCH_ORDERS = ['asc', 'desc'] as const;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 200;

/** Filters, all optional and combined with AND; times are ISO-8601 UTC instants. */
export interface SeizureSearchFilters {
  state?: string;
  district?: string;
  /** The constituency number within its state: combine with `state` for one constituency. */
  assemblyConstituency?: number;
  agency?: string;
  /** Seizures holding at least one item of this category. */
  category?: Category;
  status?: SeizureStatus;
  /** seizedAt ≥ this instant. */
  seizedAtFrom?: string;
  /** seizedAt < this instant. */
  seizedAtBefore?: string;
  minValuePaise?: number;
  maxValuePaise?: number;
  memoNumber?: string;
  vehicleNumber?: string;
}

export interface SeizureSearchPage {
  sort: SearchSort;
  order: SearchOrder;
  limit: number;
  cursor?: string;
}

export interface SeizureSearchHit {
  seizureId: string;
  memoNumber: string;
  /** ISO-8601 UTC, normalised to milliseconds. */
  seizedAt: string;
  location: { state: string; district: string; assemblyConstituency: number; parliamentaryConstituency: number };
  agency: string;
  team: string;
  vehicleNumber: string | null;
  election: { id: string; pollDate: string | null };
  linkedToCandidateOrParty: boolean;
  /** The categories of its items, in the order of CATEGORIES. */
  categories: Category[];
  itemCount: number;
  /** Current value of every item seized, after revaluations, released or not. */
  totalValuePaise: number;
  cashPaise: number;
  status: SeizureStatus;
  items: { held: number; inTransfer: number; released: number; disposed: number };
  firNumber: string | null;
  lastEventAt: string;
}

export interface SeizureSearchResult {
  items: SeizureSearchHit[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A search request the query cannot answer, naming the parameter at fault (a 400). */
export class InvalidSearchRequest extends Error {
  readonly code = 'invalid-search-request';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidSearchRequest';
  }
}

interface SearchRow {
  seizure_id: string;
  memo_number: string;
  seized_at: string;
  state: string;
  district: string;
  assembly_constituency: number;
  parliamentary_constituency: number;
  agency: string;
  team: string;
  vehicle_number: string | null;
  election_id: string;
  poll_date: string | null;
  linked_to_candidate_or_party: number;
  categories: string;
  item_count: number;
  total_value_paise: number;
  cash_paise: number;
  items_held: number;
  items_in_transfer: number;
  items_released: number;
  items_disposed: number;
  status: SeizureStatus;
  fir_number: string | null;
  last_event_at: string;
}

const SORT_COLUMNS: Record<SearchSort, 'seized_at' | 'total_value_paise'> = { seizedAt: 'seized_at', value: 'total_value_paise' };

// ------------------------------------------------------------------------------------------
// Cursors (cursor-pagination.ts): the sort and order, then the last row's sort key and id. A row
// whose sort key changes between two pages, by revaluation, may move across the cursor, as it should.

interface CursorPosition {
  sort: SearchSort;
  order: SearchOrder;
  key: string | number;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return encodeKeysetCursor([position.sort, position.order, position.key, position.id]);
}

export function decodeCursor(cursor: string, page: Pick<SeizureSearchPage, 'sort' | 'order'>): CursorPosition {
  return decodeKeysetCursor(
    cursor,
    4,
    (message) => new InvalidSearchRequest('cursor', message),
    ([sort, order, key, id], refuse) => {
      if (sort !== page.sort || order !== page.order) refuse(`belongs to another sort (${String(sort)} ${String(order)})`);
      const keyValid = sort === 'value' ? Number.isSafeInteger(key) : typeof key === 'string';
      if (!keyValid || typeof id !== 'string') refuse();
      return { sort: page.sort, order: page.order, key: key as string | number, id: id as string };
    },
  );
}

// ------------------------------------------------------------------------------------------

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Turns a `seizedAtFrom` / `seizedAtTo` parameter into an instant bound. A date alone means the
 * whole Indian day (IST, as the Election Commission's daily statements count them): from its
 * start, to the start of the next day (exclusive). A date-time is taken as given, `to` inclusive.
 */
export function seizedAtBound(value: string, side: 'from' | 'to'): string {
  if (DAY.test(value)) return side === 'from' ? startOfIndianDay(value) : endOfIndianDay(value);
  const at = Date.parse(value);
  // Inclusive `to` over millisecond-precision instants: strictly before the next millisecond.
  return new Date(side === 'from' ? at : at + 1).toISOString();
}

/**
 * Seizure search for one caller. The caller's scope is one more filter: a seizure outside it is
 * never returned, so asking for a district outside the scope yields an empty page, not an error.
 */
@Injectable()
export class SeizureSearchQuery {
  private readonly statements: StatementsBySql<SearchRow>;

  constructor(@Inject(READ_MODEL_DB) db: Database) {
    this.statements = new StatementsBySql<SearchRow>(db);
  }

  search(actor: Actor, filters: SeizureSearchFilters, page: SeizureSearchPage): SeizureSearchResult {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_SEARCH_LIMIT) {
      throw new InvalidSearchRequest('limit', `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`);
    }
    if (filters.minValuePaise !== undefined && filters.maxValuePaise !== undefined && filters.minValuePaise > filters.maxValuePaise) {
      throw new InvalidSearchRequest('minValuePaise', 'minValuePaise must not be above maxValuePaise');
    }
    if (filters.seizedAtFrom !== undefined && filters.seizedAtBefore !== undefined && filters.seizedAtFrom >= filters.seizedAtBefore) {
      throw new InvalidSearchRequest('seizedAtFrom', 'seizedAtFrom must be before seizedAtTo');
    }
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, page);

    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (!actor.scope.national) {
      add(
        '(s.state IN (SELECT value FROM json_each(?)) OR s.district IN (SELECT value FROM json_each(?)))',
        JSON.stringify(actor.scope.states),
        JSON.stringify(actor.scope.districts),
      );
    }
    if (filters.state !== undefined) add('s.state = ?', filters.state);
    if (filters.district !== undefined) add('s.district = ?', filters.district);
    if (filters.assemblyConstituency !== undefined) add('s.assembly_constituency = ?', filters.assemblyConstituency);
    if (filters.agency !== undefined) add('s.agency = ?', filters.agency);
    if (filters.category !== undefined) {
      add('EXISTS (SELECT 1 FROM seizure_search_items i WHERE i.seizure_id = s.seizure_id AND i.category = ?)', filters.category);
    }
    if (filters.status !== undefined) add('s.status = ?', filters.status);
    if (filters.seizedAtFrom !== undefined) add('s.seized_at >= ?', filters.seizedAtFrom);
    if (filters.seizedAtBefore !== undefined) add('s.seized_at < ?', filters.seizedAtBefore);
    if (filters.minValuePaise !== undefined) add('s.total_value_paise >= ?', filters.minValuePaise);
    if (filters.maxValuePaise !== undefined) add('s.total_value_paise <= ?', filters.maxValuePaise);
    if (filters.memoNumber !== undefined) add('s.memo_key = ?', searchKey(filters.memoNumber));
    if (filters.vehicleNumber !== undefined) add('s.vehicle_key = ?', searchKey(filters.vehicleNumber));

    const column = SORT_COLUMNS[page.sort];
    const direction = page.order === 'asc' ? 'ASC' : 'DESC';
    if (after) add(`(s.${column}, s.seizure_id) ${page.order === 'asc' ? '>' : '<'} (?, ?)`, after.key, after.id);

    const sql =
      `SELECT s.* FROM seizure_search_seizures s` +
      (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY s.${column} ${direction}, s.seizure_id ${direction} LIMIT ?`;
    const { rows, nextCursor } = keysetPage(this.statements.for(sql).all(...params, page.limit + 1), page.limit, (last) =>
      encodeCursor({
        sort: page.sort,
        order: page.order,
        key: page.sort === 'value' ? last.total_value_paise : last.seized_at,
        id: last.seizure_id,
      }),
    );
    return { items: rows.map(toHit), nextCursor };
  }
}

function toHit(row: SearchRow): SeizureSearchHit {
  const categories = JSON.parse(row.categories) as Category[];
  return {
    seizureId: row.seizure_id,
    memoNumber: row.memo_number,
    seizedAt: row.seized_at,
    location: {
      state: row.state,
      district: row.district,
      assemblyConstituency: row.assembly_constituency,
      parliamentaryConstituency: row.parliamentary_constituency,
    },
    agency: row.agency,
    team: row.team,
    vehicleNumber: row.vehicle_number,
    election: { id: row.election_id, pollDate: row.poll_date },
    linkedToCandidateOrParty: row.linked_to_candidate_or_party === 1,
    categories: CATEGORIES.filter((c) => categories.includes(c)),
    itemCount: row.item_count,
    totalValuePaise: row.total_value_paise,
    cashPaise: row.cash_paise,
    status: row.status,
    items: { held: row.items_held, inTransfer: row.items_in_transfer, released: row.items_released, disposed: row.items_disposed },
    firNumber: row.fir_number,
    lastEventAt: row.last_event_at,
  };
}
