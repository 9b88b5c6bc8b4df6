import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../shared/actor';
import { ReadModelQuery } from '../http/read-position';
import { CSV_CONTENT_TYPE, statementCsvFileName, statementToCsv } from './seizure-statement.csv';
import { SeizureStatementQueryDto, type StatementFormat } from './seizure-statement.dto';
import { SeizureStatementQuery, type SeizureStatement } from './seizure-statement.query';

/**
 * The daily seizure statement in the Election Commission's form. Every role may read it: it holds
 * figures, no personal data, and only of the caller's states and districts.
 */
@Controller('statements')
export class SeizureStatementHttpController {
  constructor(private readonly query: SeizureStatementQuery) {}

  @Get('seizures')
  @ReadModelQuery()
  @ApiProduces('application/json', 'text/csv')
  statement(
    @Query() params: SeizureStatementQueryDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): SeizureStatement | string {
    const statement = this.query.statement(actor, {
      date: params.date,
      groupBy: params.groupBy ?? 'state',
      state: params.state,
      district: params.district,
      election: params.election,
    });
    if (params.format === undefined) res.setHeader('Vary', 'Accept');
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
