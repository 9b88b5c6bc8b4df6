import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsIn, IsOptional, Matches } from 'class-validator';
import { CALENDAR_DAY, DISTRICT_CODE, IDENTIFIER, STATE_CODE } from '../../platform/http/field-patterns';
import { asStoredDistrict, asStoredState } from '../http/place-filters';
import { ReadPositionQuery } from '../http/read-position';
import { STATEMENT_GROUPINGS, type StatementGrouping } from './seizure-statement.query';

export const STATEMENT_FORMATS = ['json', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** `GET /statements/seizures` query parameters. */
export class SeizureStatementQueryDto extends ReadPositionQuery {
  @ApiPropertyOptional({
    description: 'The Indian date (IST) reported on, YYYY-MM-DD; today in IST when absent.',
    example: '2024-04-19',
    format: 'date',
    pattern: CALENDAR_DAY.source,
  })
  @IsOptional()
  @Matches(CALENDAR_DAY, { message: 'date must be a date as YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'date must be a real calendar date' })
  date?: string;

  @ApiPropertyOptional({
    description: 'Rows by state, district or assembly constituency; by state when absent.',
    example: 'district',
    enum: STATEMENT_GROUPINGS,
  })
  @IsOptional()
  @IsIn(STATEMENT_GROUPINGS, { message: `groupBy must be one of ${STATEMENT_GROUPINGS.join(', ')}` })
  groupBy?: StatementGrouping;

  @ApiPropertyOptional({ description: 'Only this state or union territory, by its code.', example: 'UP', pattern: STATE_CODE.source })
  @IsOptional()
  @Transform(asStoredState)
  @Matches(STATE_CODE, { message: 'state must be a state code such as UP' })
  state?: string;
  @ApiPropertyOptional({
    description: 'Only this district: its short code or the state and LGD code (UP-187).',
    example: 'UP-VNS',
    pattern: DISTRICT_CODE.source,
  })
  @IsOptional()
  @Transform(asStoredDistrict)
  @Matches(DISTRICT_CODE, { message: 'district must be a district code such as UP-VNS or UP-187' })
  district?: string;
  @ApiPropertyOptional({ description: 'Only this election, by its id.', example: 'GE-2024', pattern: IDENTIFIER.source })
  @IsOptional()
  @Matches(IDENTIFIER, { message: 'election must be an election id' })
  election?: string;

  @ApiPropertyOptional({
    description: 'csv or json; without it the Accept header decides, and JSON is the default.',
    example: 'csv',
    enum: STATEMENT_FORMATS,
  })
  @IsOptional()
  @IsIn(STATEMENT_FORMATS, { message: `format must be one of ${STATEMENT_FORMATS.join(', ')}` })
  format?: StatementFormat;
}
