import { Transform } from 'class-transformer';
import { IsDateString, IsIn, IsOptional, Matches } from 'class-validator';
import { asStoredDistrict, asStoredState } from '../http/place-filters';
import { ReadPositionQuery } from '../http/read-position';
import { STATEMENT_GROUPINGS, type StatementGrouping } from './seizure-statement.query';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const STATE = /^[A-Z]{2,3}$/;
const DISTRICT = /^[A-Z]{2,3}-[A-Z0-9]{2,12}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;

export const STATEMENT_FORMATS = ['json', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** `GET /statements/seizures` query parameters. */
export class SeizureStatementQueryDto extends ReadPositionQuery {
  /** The Indian date (IST) reported on, YYYY-MM-DD; today in IST when absent. */
  @IsOptional()
  @Matches(DAY, { message: 'date must be a date as YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'date must be a real calendar date' })
  date?: string;

  /** Rows by state, district or assembly constituency; by state when absent. */
  @IsOptional()
  @IsIn(STATEMENT_GROUPINGS, { message: `groupBy must be one of ${STATEMENT_GROUPINGS.join(', ')}` })
  groupBy?: StatementGrouping;

  @IsOptional() @Transform(asStoredState) @Matches(STATE, { message: 'state must be a state code such as UP' }) state?: string;
  @IsOptional()
  @Transform(asStoredDistrict)
  @Matches(DISTRICT, { message: 'district must be a district code such as UP-VNS or UP-187' })
  district?: string;
  /** An election id, e.g. GE-2024. */
  @IsOptional() @Matches(ID, { message: 'election must be an election id' }) election?: string;

  /** csv or json; without it the Accept header decides, and JSON is the default. */
  @IsOptional()
  @IsIn(STATEMENT_FORMATS, { message: `format must be one of ${STATEMENT_FORMATS.join(', ')}` })
  format?: StatementFormat;
}
