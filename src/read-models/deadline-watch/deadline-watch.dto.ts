import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ReadPositionQuery } from '../http/read-position';
import { DEADLINE_KINDS, type DeadlineKind } from './deadline-watch.query';

/** `GET /deadlines` query parameters. */
export class DeadlineWatchQueryDto extends ReadPositionQuery {
  @ApiPropertyOptional({
    description:
      'Also list deadlines falling due within the next 48 hours (personal-data erasures: 30 days); only overdue ones when absent (true or false).',
    example: true,
    type: 'boolean',
  })
  @IsOptional()
  // Query strings are text: only the words true and false are booleans, never 1, yes or "".
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeUpcoming must be true or false' })
  includeUpcoming?: boolean;

  @ApiPropertyOptional({ description: 'Only deadlines of this kind.', example: 'income_tax_referral', enum: DEADLINE_KINDS })
  @IsOptional()
  @IsIn(DEADLINE_KINDS, { message: `kind must be one of ${DEADLINE_KINDS.join(', ')}` })
  kind?: DeadlineKind;
}
