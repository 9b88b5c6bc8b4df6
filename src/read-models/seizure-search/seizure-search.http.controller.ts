import { Controller, Get, Query } from '@nestjs/common';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../shared/actor';
import { ReadModelQuery } from '../http/read-position';
import { SeizureSearchQueryDto } from './seizure-search.dto';
import { DEFAULT_SEARCH_LIMIT, SeizureSearchQuery, seizedAtBound, type SeizureSearchResult } from './seizure-search.query';

/**
 * Search over seizures, for every role, limited to the caller's states and districts. Results
 * carry no personal data, so no role needs a redacted form.
 */
@Controller('seizures')
export class SeizureSearchHttpController {
  constructor(private readonly query: SeizureSearchQuery) {}

  @Get()
  @ReadModelQuery()
  search(@Query() params: SeizureSearchQueryDto, @CurrentActor() actor: Actor): SeizureSearchResult {
    return this.query.search(
      actor,
      {
        state: params.state,
        district: params.district,
        assemblyConstituency: params.assemblyConstituency,
        agency: params.agency,
        category: params.category,
        status: params.status,
        seizedAtFrom: params.seizedAtFrom === undefined ? undefined : seizedAtBound(params.seizedAtFrom, 'from'),
        seizedAtBefore: params.seizedAtTo === undefined ? undefined : seizedAtBound(params.seizedAtTo, 'to'),
        minValuePaise: params.minValuePaise,
        maxValuePaise: params.maxValuePaise,
        memoNumber: params.memoNumber,
        vehicleNumber: params.vehicleNumber,
      },
      {
        sort: params.sort ?? 'seizedAt',
        order: params.order ?? 'desc',
        limit: params.limit ?? DEFAULT_SEARCH_LIMIT,
        cursor: params.cursor,
      },
    );
  }
}
