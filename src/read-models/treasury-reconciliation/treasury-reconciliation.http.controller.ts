import { Controller, Get, HttpStatus, Param } from '@nestjs/common';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../shared/actor';
import { ProblemHttpException } from '../../platform/http/problem-details.filter';
import { ReadModelQuery } from '../http/read-position';
import { TreasuryParamsDto } from './treasury-reconciliation.dto';
import {
  TreasuryReconciliationQuery,
  treasuryLimit,
  type OneTreasuryReconciliation,
  type TreasuryReconciliationReport,
} from './treasury-reconciliation.query';

/**
 * Treasury accounts of seized cash. Every role may read them within its jurisdiction; a user
 * whose only role is `treasury` sees only their own treasury (see treasuryLimit).
 */
@Controller('treasuries')
@ReadModelQuery()
export class TreasuryReconciliationHttpController {
  constructor(private readonly query: TreasuryReconciliationQuery) {}

  @Get('reconciliation')
  all(@CurrentActor() actor: Actor): TreasuryReconciliationReport {
    return this.query.all(actor);
  }

  @Get(':treasuryId/reconciliation')
  one(@Param() params: TreasuryParamsDto, @CurrentActor() actor: Actor): OneTreasuryReconciliation {
    const found = this.query.one(actor, params.treasuryId);
    if (found !== undefined) return found;
    const own = treasuryLimit(actor);
    if (own !== null && own !== params.treasuryId) {
      throw new ProblemHttpException({
        status: HttpStatus.FORBIDDEN,
        slug: 'not-your-treasury',
        title: 'Not your treasury',
        detail: `You act for treasury ${own} and may read only its reconciliation.`,
      });
    }
    // The same answer whether the treasury is unknown or known only outside the caller's jurisdiction.
    throw new ProblemHttpException({
      status: HttpStatus.NOT_FOUND,
      slug: 'treasury-not-found',
      title: 'Treasury not found',
      detail: `Nothing has been handed over to or deposited with treasury ${params.treasuryId} within your jurisdiction.`,
    });
  }
}
