import { Controller, Get, Query } from '@nestjs/common';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../shared/actor';
import { ReadModelQuery } from '../http/read-position';
import { DeadlineWatchQueryDto } from './deadline-watch.dto';
import { DeadlineWatchQuery, type DeadlineReport } from './deadline-watch.query';

/**
 * Overdue (and, on request, upcoming) deadlines of seizures within the caller's jurisdiction.
 * Every role may read them: the committee acts on them, custodians and treasuries see what they
 * hold too long, auditors and observers watch.
 */
@Controller('deadlines')
export class DeadlineWatchHttpController {
  constructor(private readonly query: DeadlineWatchQuery) {}

  @Get()
  @ReadModelQuery()
  deadlines(@Query() params: DeadlineWatchQueryDto, @CurrentActor() actor: Actor): DeadlineReport {
    return this.query.deadlines(actor, { includeUpcoming: params.includeUpcoming, kind: params.kind });
  }
}
