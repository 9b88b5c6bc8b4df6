import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CUSTODIAN_KINDS, type Custodian, type CustodianKind } from '../../custody/values';
import { REDACTED_SCHEMA } from '../../custody/http/redacted.schema';
import type { Redacted } from '../../custody/personal-data';
import { ReadPositionQuery } from '../http/read-position';
import { INBOX_STATUSES, type InboxStatus } from './transfer-inbox.projection';
import {
  DEFAULT_INBOX_LIMIT,
  MAX_INBOX_LIMIT,
  type InboxActorRef,
  type InboxTransfer,
  type TransferInboxResult,
} from './transfer-inbox.query';

/**
 * `GET /transfers/inbox` query parameters. Numbers arrive as text and are converted only where
 * declared (@Type). `minPosition` and `maxWaitMs` (read your own writes) come from ReadPositionQuery.
 */
export class TransferInboxQueryDto extends ReadPositionQuery {
  @ApiPropertyOptional({
    enum: INBOX_STATUSES,
    default: 'pending',
    example: 'pending',
    description: 'pending: awaiting your answer; accepted or rejected: what your address answered.',
  })
  @IsOptional()
  @IsIn(INBOX_STATUSES, { message: `status must be one of ${INBOX_STATUSES.join(', ')}` })
  status?: InboxStatus;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_INBOX_LIMIT,
    default: DEFAULT_INBOX_LIMIT,
    example: 20,
    description: 'Page size.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_INBOX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    maxLength: 512,
    format: 'base64url',
    example: 'eyJ2IjoxLCJrIjpbIjIwMjQtMDQtMjBUMDg6MDA6MDAuMDAwWiJdfQ',
    description: 'nextCursor of the previous page, with the same status (opaque, base64url).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

// ------------------------------------------------------------------------------------------
// Response shapes, for the OpenAPI document. Each implements the query's type, so the compiler
// keeps the two in step.

export class InboxCustodianDto implements Custodian {
  @ApiProperty({ enum: CUSTODIAN_KINDS }) kind!: CustodianKind;
  @ApiProperty({ description: 'A user id for kind person, else the unit id.' }) id!: string;
  @ApiProperty() name!: string;
}

export class InboxActorRefDto implements InboxActorRef {
  @ApiProperty({ description: 'User id (token sub).' }) sub!: string;
  @ApiProperty() name!: string;
}

export class InboxTransferDto implements InboxTransfer {
  @ApiProperty({ format: 'uuid' }) seizureId!: string;
  @ApiProperty() transferId!: string;
  @ApiProperty() memoNumber!: string;
  @ApiProperty({ example: 'UP' }) state!: string;
  @ApiProperty({ example: 'UP-VNS' }) district!: string;
  @ApiProperty({ type: [String] }) itemIds!: string[];
  @ApiProperty({ type: InboxCustodianDto }) from!: InboxCustodianDto;
  @ApiProperty({ type: InboxCustodianDto }) to!: InboxCustodianDto;
  @ApiProperty({ type: [String], description: 'Seals handed over with the items.' }) sealNumbers!: string[];
  @ApiProperty({
    oneOf: [{ type: 'string' }, REDACTED_SCHEMA],
    description:
      'Why the transfer was started. Free text that may name a person: the redaction marker for roles without personal-data access.',
  })
  reason!: string | Redacted;
  @ApiProperty({ format: 'date-time', description: 'When the transfer was started (the event’s time).' }) initiatedAt!: string;
  @ApiProperty({ type: InboxActorRefDto }) initiatedBy!: InboxActorRefDto;
  @ApiProperty({ enum: INBOX_STATUSES }) status!: InboxStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was accepted or rejected; null while pending.' })
  closedAt!: string | null;
  @ApiProperty({ type: InboxActorRefDto, nullable: true }) closedBy!: InboxActorRefDto | null;
}

export class TransferInboxPageDto implements TransferInboxResult {
  @ApiProperty({ type: [InboxTransferDto], description: 'Newest first: pending by initiatedAt, answered ones by closedAt.' })
  items!: InboxTransferDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}
