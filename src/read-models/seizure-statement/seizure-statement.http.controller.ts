import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { Actor } from '../../shared/actor';
import { ReadModelQuery } from '../http/read-position';
import { CSV_CONTENT_TYPE, statementCsvFileName, statementToCsv } from './seizure-statement.csv';
import { SeizureStatementQueryDto, type StatementFormat } from './seizure-statement.dto';
import { SeizureStatementQuery } from './seizure-statement.query';
import { statementCheckpoint, treeHeadWaitMs, withCheckpoint, type PublishedSeizureStatement } from './seizure-statement.tree-head';
import { SIGNED_TREE_HEAD_SOURCE, type SignedTreeHeadSource } from './signed-tree-head-source';

/**
 * The daily seizure statement in the Election Commission's form. Every role may read it: it holds
 * figures, no personal data, and only of the caller's states and districts. Each statement carries
 * the signed tree head covering its ledger position (waiting briefly for the next head if need be),
 * so a kept statement is a checkpoint of the ledger.
 */
@Controller('statements')
export class SeizureStatementHttpController {
  private readonly waitMs: number;

  constructor(
    private readonly query: SeizureStatementQuery,
    @Inject(SIGNED_TREE_HEAD_SOURCE) private readonly heads: SignedTreeHeadSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.waitMs = treeHeadWaitMs(config.evidence.treeHeadIntervalSeconds);
  }

  @Get('seizures')
  @ReadModelQuery()
  @ApiProduces('application/json', 'text/csv')
  async statement(
    @Query() params: SeizureStatementQueryDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublishedSeizureStatement | string> {
    const figures = this.query.statement(actor, {
      date: params.date,
      groupBy: params.groupBy ?? 'state',
      state: params.state,
      district: params.district,
      election: params.election,
    });
    const statement = withCheckpoint(figures, await statementCheckpoint(this.heads, figures.ledgerPosition, this.waitMs));
    // Added to, not set: the answer also depends on the token (see privateByDefault).
    if (params.format === undefined) res.vary('Accept');
    if (formatOf(params.format, req) === 'json') return statement;
    res.setHeader('Content-Type', CSV_CONTENT_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="${statementCsvFileName(statement)}"`);
    return statementToCsv(statement);
  }
}

/** `format` wins; else the Accept header, where JSON is preferred on a tie and when neither is named. */
function formatOf(format: StatementFormat | undefined, req: Request): StatementFormat {
  if (format !== undefined) return format;
  return req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json';
}
