import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { CATEGORIES, type Category } from '../../custody/values';
import { DISTRICT_CODE, STATE_CODE } from '../../platform/http/field-patterns';
import { AGENCIES } from '../../shared/actor';
import { asStoredDistrict, asStoredState } from '../http/place-filters';
import { ReadPositionQuery } from '../http/read-position';
import { SEIZURE_STATUSES, type SeizureStatus } from './seizure-search.projection';
import { MAX_SEARCH_LIMIT, SEARCH_ORDERS, SEARCH_SORTS, type SearchOrder, type SearchSort } from './seizure-search.query';

const MAX_PAISE = Number.MAX_SAFE_INTEGER;
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
  @ApiPropertyOptional({
    description: 'Seizures in this state or union territory, by its code.',
    example: 'UP',
    pattern: STATE_CODE.source,
  })
  @IsOptional()
  @Transform(asStoredState)
  @Matches(STATE_CODE, { message: 'state must be a state code such as UP' })
  state?: string;
  @ApiPropertyOptional({
    description: 'Seizures in this district: its short code or the state and LGD code (UP-187).',
    example: 'UP-VNS',
    pattern: DISTRICT_CODE.source,
  })
  @IsOptional()
  @Transform(asStoredDistrict)
  @Matches(DISTRICT_CODE, { message: 'district must be a district code such as UP-VNS or UP-187' })
  district?: string;

  @ApiPropertyOptional({
    description: 'The assembly constituency number within its state; combine with state.',
    example: 390,
    type: 'integer',
    minimum: 1,
    maximum: 999,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'assemblyConstituency must be a whole number' })
  @Min(1)
  @Max(999)
  assemblyConstituency?: number;

  @ApiPropertyOptional({ description: 'Seizures recorded by this agency.', example: 'flying_squad', enum: AGENCIES })
  @IsOptional()
  @IsIn(AGENCIES, oneOf('agency', AGENCIES))
  agency?: string;

  @ApiPropertyOptional({ description: 'Seizures holding at least one item of the category.', example: 'cash', enum: CATEGORIES })
  @IsOptional()
  @IsIn(CATEGORIES, oneOf('category', CATEGORIES))
  category?: Category;

  @ApiPropertyOptional({
    description:
      'held: every item held; in_transfer: an item is in a handover not yet accepted or rejected; partly_released: some items ' +
      'released or disposed of, others held; released: none held, at least one released; disposed: every item disposed of.',
    example: 'held',
    enum: SEIZURE_STATUSES,
  })
  @IsOptional()
  @IsIn(SEIZURE_STATUSES, oneOf('status', SEIZURE_STATUSES))
  status?: SeizureStatus;

  @ApiPropertyOptional({
    description: 'Seized at or after: a date (YYYY-MM-DD) means from the start of that day in IST; a date-time needs its offset.',
    example: '2024-04-16',
    pattern: DATE_OR_INSTANT.source,
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: DATE_MESSAGE('seizedAtFrom') })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('seizedAtFrom') })
  seizedAtFrom?: string;

  @ApiPropertyOptional({
    description: 'Seized at or before: a date (YYYY-MM-DD) means up to the end of that day in IST; a date-time needs its offset.',
    example: '2024-04-19T23:59:59+05:30',
    pattern: DATE_OR_INSTANT.source,
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: DATE_MESSAGE('seizedAtTo') })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('seizedAtTo') })
  seizedAtTo?: string;

  @ApiPropertyOptional({
    description: 'Total value of the seizure at least this many paise (Rs 10 lakh = 100000000).',
    example: 100_000_000,
    type: 'integer',
    format: 'int64',
    minimum: 0,
    maximum: MAX_PAISE,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'minValuePaise must be a whole number of paise' })
  @Min(0)
  @Max(MAX_PAISE)
  minValuePaise?: number;

  @ApiPropertyOptional({
    description: 'Total value of the seizure at most this many paise.',
    example: 500_000_000,
    type: 'integer',
    format: 'int64',
    minimum: 0,
    maximum: MAX_PAISE,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'maxValuePaise must be a whole number of paise' })
  @Min(0)
  @Max(MAX_PAISE)
  maxValuePaise?: number;

  @ApiPropertyOptional({ description: 'Exact memo number, case-insensitive.', example: 'FS3/VNS/2024/117', format: 'code', maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  memoNumber?: string;

  @ApiPropertyOptional({ description: 'Exact vehicle number, case-insensitive.', example: 'UP65AB1234', format: 'code', maxLength: 16 })
  @IsOptional()
  @IsString()
  @Length(1, 16)
  vehicleNumber?: string;

  @ApiPropertyOptional({ description: 'Sort by seizedAt (default) or value.', example: 'value', enum: SEARCH_SORTS })
  @IsOptional()
  @IsIn(SEARCH_SORTS, oneOf('sort', SEARCH_SORTS))
  sort?: SearchSort;

  @ApiPropertyOptional({ description: 'desc (default: newest or largest first) or asc.', example: 'desc', enum: SEARCH_ORDERS })
  @IsOptional()
  @IsIn(SEARCH_ORDERS, oneOf('order', SEARCH_ORDERS))
  order?: SearchOrder;

  @ApiPropertyOptional({
    description: 'Page size, 1 to 200; 50 when absent.',
    example: 20,
    type: 'integer',
    minimum: 1,
    maximum: MAX_SEARCH_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_SEARCH_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    description: 'nextCursor of the previous page, with the same sort and order (opaque, base64url).',
    example: 'eyJ2IjoxLCJrIjpbIjIwMjQtMDQtMTlUMDU6MzA6MDAuMDAwWiJdfQ',
    format: 'base64url',
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
