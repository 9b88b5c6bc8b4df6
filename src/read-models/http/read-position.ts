import type { ServerResponse } from 'node:http';
import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiPropertyOptional, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Observable } from 'rxjs';
import { ProblemHttpException } from '../../platform/http/problem-details.filter';
import { invalidFieldProblem } from '../../platform/http/validation';
import { READ_MODEL_PROGRESS, type ReadModelProgress } from '../../projections/read-model-progress';
import { readModelFailedProblem } from '../../projections/read-model-failed.problem';

/** Metadata: the names of the read models (projections) a query route reads. */
export const READS_READ_MODELS = 'readModels:reads';

/** Every query response says up to which global position its read models were when it ran. */
export const READ_MODEL_POSITION_HEADER = 'X-Read-Model-Position';
export const DEFAULT_MAX_WAIT_MS = 5000;
export const MAX_MAX_WAIT_MS = 30_000;

export interface ReadPosition {
  /** The query waits until the read models include this global position (a command's `globalPosition`). */
  minPosition?: number;
  /** How long to wait for it, at most MAX_MAX_WAIT_MS. */
  maxWaitMs: number;
}

const DIGITS = /^\d{1,16}$/;

function badParameter(field: string, reason: string): ProblemHttpException {
  return invalidFieldProblem(field, reason);
}

function integerParameter(query: Record<string, unknown>, field: string, max: number): number | undefined {
  const raw = query[field];
  if (raw === undefined || raw === '') return undefined;
  const value = typeof raw === 'string' && DIGITS.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value > max) throw badParameter(field, `${field} must be an integer from 0 to ${max}`);
  return value;
}

/** Reads `minPosition` and `maxWaitMs` from a request's query; throws a 400 problem when they are malformed. */
export function parseReadPosition(query: Record<string, unknown> | undefined): ReadPosition {
  const q = query ?? {};
  return {
    minPosition: integerParameter(q, 'minPosition', Number.MAX_SAFE_INTEGER),
    maxWaitMs: integerParameter(q, 'maxWaitMs', MAX_MAX_WAIT_MS) ?? DEFAULT_MAX_WAIT_MS,
  };
}

const toInteger = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value);

/**
 * Base class for query DTOs: the global validation pipe refuses unknown query parameters, so a
 * DTO taken with `@Query()` must declare these two. (The interceptor reads them on its own.)
 */
const MIN_POSITION_DOC = {
  description: 'Wait until the read models include this global position (a command response’s globalPosition).',
  schema: { type: 'integer' as const, format: 'int64', minimum: 0, example: 42 },
};
const MAX_WAIT_DOC = {
  description: `How long to wait for minPosition, in ms: at most ${MAX_MAX_WAIT_MS}, default ${DEFAULT_MAX_WAIT_MS}.`,
  schema: { type: 'integer' as const, format: 'int32', minimum: 0, maximum: MAX_MAX_WAIT_MS, example: 2000 },
};

export class ReadPositionQuery {
  @ApiPropertyOptional({ description: MIN_POSITION_DOC.description, ...MIN_POSITION_DOC.schema })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  minPosition?: number;

  @ApiPropertyOptional({ description: MAX_WAIT_DOC.description, ...MAX_WAIT_DOC.schema })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(MAX_MAX_WAIT_MS)
  maxWaitMs?: number;
}

/**
 * Read-your-writes for queries: waits (bounded) until the read models the route reads (see
 * ReadModelQuery; all of them when it names none) have passed `minPosition`, else answers 503
 * `read-model-behind` with Retry-After; sets X-Read-Model-Position (their position) on every
 * response. A route that reads a failed read model answers 503 `read-model-failed` at once; a
 * failed read model never holds up routes that do not read it. Runs before the handler (and
 * before the validation pipe), so the handler reads a read model that includes the caller's write.
 */
@Injectable()
export class ReadPositionInterceptor implements NestInterceptor {
  constructor(
    @Inject(READ_MODEL_PROGRESS) private readonly projector: ReadModelProgress,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const response = http.getResponse<ServerResponse>();
    const readModels = this.reflector.getAllAndOverride<string[] | undefined>(READS_READ_MODELS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const { minPosition, maxWaitMs } = parseReadPosition(http.getRequest<{ query?: Record<string, unknown> }>().query);
    const reached = minPosition === undefined || (await this.projector.waitForPosition(minPosition, maxWaitMs, readModels));
    const position = this.projector.positionOf(readModels);
    response.setHeader(READ_MODEL_POSITION_HEADER, String(position));
    const failed = this.projector.failedAmong(readModels);
    if (failed.length > 0) throw readModelFailedProblem(failed);
    if (!reached) throw this.behind(response, position, minPosition ?? 0);
    return next.handle();
  }

  private behind(response: ServerResponse, position: number, minPosition: number): ProblemHttpException {
    const stopped = this.projector.status === 'failed';
    response.setHeader('Retry-After', stopped ? '60' : '1');
    return new ProblemHttpException({
      status: HttpStatus.SERVICE_UNAVAILABLE,
      slug: 'read-model-behind',
      title: 'Read model not caught up',
      detail: stopped
        ? `The read models stopped at position ${position}, before the requested minPosition ${minPosition}; they resume once the cause is fixed and the server restarted.`
        : `The read models are at position ${position}, not yet at the requested minPosition ${minPosition}; retry shortly.`,
    });
  }
}

/**
 * Put on every query route (or query controller) that reads read models, naming the read models
 * (projection names) it reads, so that it waits for those only and answers `read-model-failed`
 * when one of them failed; naming none means all of them:
 *
 *   @Get() @ReadModelQuery('seizure-search')
 *   search(@Query() query: SearchQuery) { … }      // class SearchQuery extends ReadPositionQuery
 */
export const ReadModelQuery = (...readModels: string[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...(readModels.length > 0 ? [SetMetadata(READS_READ_MODELS, readModels)] : []),
    UseInterceptors(ReadPositionInterceptor),
    ApiQuery({ name: 'minPosition', required: false, description: MIN_POSITION_DOC.description, schema: MIN_POSITION_DOC.schema }),
    ApiQuery({ name: 'maxWaitMs', required: false, description: MAX_WAIT_DOC.description, schema: MAX_WAIT_DOC.schema }),
    ApiResponse({
      status: 503,
      description:
        `read-model-behind: minPosition was not reached in time; retry after Retry-After. read-model-failed: a read model this route reads ` +
        `failed on an event; retrying will not help until the software is fixed. Every answer carries ${READ_MODEL_POSITION_HEADER}.`,
    }),
  );
