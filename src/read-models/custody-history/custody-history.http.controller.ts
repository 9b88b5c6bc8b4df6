import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../shared/actor';
import { ReadModelQuery, ReadPositionQuery } from '../http/read-position';
import { CustodyHistoryQuery, type ItemCustodyHistory, type SeizureCustodyHistory, type SeizureTimeline } from './custody-history.query';

/**
 * Who held each item of a seizure, when, under which seals, and the events that prove it; and the
 * seizure's whole timeline. Every role may read, within its scope; reasons, remarks and the
 * timeline's `personalData` (fields of the personal-data list) are withheld from roles without
 * personal-data access.
 * The only query parameters are `minPosition` and `maxWaitMs`, to read one's own writes; taking
 * them as a DTO makes any other parameter a 400, as everywhere else.
 */
@Controller('seizures')
@ReadModelQuery()
export class CustodyHistoryHttpController {
  constructor(private readonly query: CustodyHistoryQuery) {}

  @Get(':seizureId/custody-history')
  seizureHistory(
    @Param('seizureId', new ParseUUIDPipe()) seizureId: string,
    @Query() _position: ReadPositionQuery,
    @CurrentActor() actor: Actor,
  ): SeizureCustodyHistory {
    return this.query.seizureHistory(actor, seizureId.toLowerCase());
  }

  @Get(':seizureId/items/:itemId/custody-history')
  itemHistory(
    @Param('seizureId', new ParseUUIDPipe()) seizureId: string,
    @Param('itemId') itemId: string,
    @Query() _position: ReadPositionQuery,
    @CurrentActor() actor: Actor,
  ): ItemCustodyHistory & { seizureId: string; memoNumber: string } {
    return this.query.itemHistory(actor, seizureId.toLowerCase(), itemId);
  }

  @Get(':seizureId/timeline')
  timeline(
    @Param('seizureId', new ParseUUIDPipe()) seizureId: string,
    @Query() _position: ReadPositionQuery,
    @CurrentActor() actor: Actor,
  ): SeizureTimeline {
    return this.query.timeline(actor, seizureId.toLowerCase());
  }
}
