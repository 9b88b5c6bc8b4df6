import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { IDENTIFIER } from '../../platform/http/field-patterns';

/** `GET /treasuries/:treasuryId/reconciliation` path parameters. */
export class TreasuryParamsDto {
  @ApiProperty({
    description: "The treasury's unit id, as custodians and deposits name it.",
    example: 'TR-VNS',
    pattern: IDENTIFIER.source,
  })
  @Matches(IDENTIFIER, { message: 'treasuryId must be a treasury id such as TR-VNS' })
  treasuryId!: string;
}
