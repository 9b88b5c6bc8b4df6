import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { CATEGORIES, type Category } from '../../custody/values';
import { AGENCIES } from '../../shared/actor';
import { asStoredDistrict, asStoredState } from '../http/place-filters';
import { ReadPositionQuery } from '../http/read-position';
import { SEIZURE_STATUSES, type SeizureStatus } from './seizure-search.projection';
import { MAX_SEARCH_LIMIT, SEARCH_ORDERS, SEARCH_SORTS, type SearchOrder, type SearchSort } from './seizure-search.query';

const STATE = /^[A-Z]{2,3}$/;
const DISTRICT = /^[A-Z]{2,3}-[A-Z0-9]{2,12}$/;
// A date (a whole day in IST) or a date-time with its offset: 2024-04-19, 2024-04-19T05:30:00Z.
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DATE_MESSAGE = (key: string) =>
  `${key} must be a date (YYYY-MM-DD, a whole day in IST) or a date-time with its offset (2024-04-19T05:30:00Z)`;

const oneOf = (key: string, values: readonly string[]) => ({ message: `${key} must be one of ${values.join(', ')}` });

/**
 * `GET /seizures` query parameters. Every filter is optional; together they narrow by AND.
 * Numbers arrive as text and are converted only where declared (@Type). `minPosition` and
 * `maxWaitMs` (read your own writes) come from ReadPositionQuery.
 */
export class SeizureSearchQueryDto extends ReadPositionQuery {
  @IsOptional() @Transform(asStoredState) @Matches(STATE, { message: 'state must be a state code such as UP' }) state?: string;
  @IsOptional()
  @Transform(asStoredDistrict)
  @Matches(DISTRICT, { message: 'district must be a district code such as UP-VNS or UP-187' })
  district?: string;

  /** The assembly constituency number within its state; combine with `state`. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'assemblyConstituency must be a whole number' })
  @Min(1)
  @Max(999)
  assemblyConstituency?: number;

  @IsOptional() @IsIn(AGENCIES, oneOf('agency', AGENCIES)) agency?: string;

  /** Seizures holding at least one item of the category. */
  @IsOptional() @IsIn(CATEGORIES, oneOf('category', CATEGORIES)) category?: Category;

  /**
   * held: every item held; in_transfer: an item is in a handover not yet accepted or rejected;
   * partly_released: some items released or disposed of, others held; released: none held, at
   * least one released; disposed: every item disposed of.
   */
  @IsOptional() @IsIn(SEIZURE_STATUSES, oneOf('status', SEIZURE_STATUSES)) status?: SeizureStatus;

  /** Seized at or after: a date means from the start of that day in IST. */
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: DATE_MESSAGE('seizedAtFrom') })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('seizedAtFrom') })
  seizedAtFrom?: string;

  /** Seized at or before: a date means up to the end of that day in IST. */
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: DATE_MESSAGE('seizedAtTo') })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('seizedAtTo') })
  seizedAtTo?: string;

  /** Total value of the seizure at least this many paise. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'minValuePaise must be a whole number of paise' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minValuePaise?: number;

  /** Total value of the seizure at most this many paise. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'maxValuePaise must be a whole number of paise' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  maxValuePaise?: number;

  /** Exact memo number, case-insensitive. */
  @IsOptional() @IsString() @Length(1, 64) memoNumber?: string;

  /** Exact vehicle number, case-insensitive. */
  @IsOptional() @IsString() @Length(1, 16) vehicleNumber?: string;

  /** seizedAt (default) or value. */
  @IsOptional() @IsIn(SEARCH_SORTS, oneOf('sort', SEARCH_SORTS)) sort?: SearchSort;

  /** desc (default: newest or largest first) or asc. */
  @IsOptional() @IsIn(SEARCH_ORDERS, oneOf('order', SEARCH_ORDERS)) order?: SearchOrder;

  /** Page size, 1 to 200; 50 when absent. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_SEARCH_LIMIT)
  limit?: number;

  /** nextCursor of the previous page, with the same sort and order. */
  @IsOptional() @IsString() @MaxLength(512) cursor?: string;
}
