import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../shared/actor';
import { ReadModelQuery } from '../http/read-position';
import { TransferInboxPageDto, TransferInboxQueryDto } from './transfer-inbox.dto';
import { DEFAULT_INBOX_LIMIT, TransferInboxQuery, type TransferInboxResult } from './transfer-inbox.query';

/**
 * The custody transfers addressed to the caller. No @Roles: every role may ask, because the
 * answer only ever holds what is addressed to the caller in person or to the caller's unit. The
 * transfer's reason is free text that may name a person: withheld from roles without personal-data access.
 */
@ApiTags('transfer inbox')
@Controller('transfers')
export class TransferInboxHttpController {
  constructor(private readonly query: TransferInboxQuery) {}

  @Get('inbox')
  @ReadModelQuery()
  @ApiOperation({
    summary: 'Custody transfers addressed to you',
    description:
      'Transfers whose recipient is you (a person custodian with your user id) or your unit (any other kind, by your token’s unit), ' +
      'within your states and districts; pending ones by default, newest first, cursor-paginated like GET /seizures.',
  })
  @ApiOkResponse({ type: TransferInboxPageDto })
  @ApiBadRequestResponse({ description: 'validation-failed: each bad parameter (status, limit, cursor, minPosition, maxWaitMs) and why.' })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token.' })
  inbox(@Query() params: TransferInboxQueryDto, @CurrentActor() actor: Actor): TransferInboxResult {
    return this.query.inbox(actor, {
      status: params.status ?? 'pending',
      limit: params.limit ?? DEFAULT_INBOX_LIMIT,
      cursor: params.cursor,
    });
  }
}
