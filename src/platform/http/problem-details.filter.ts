import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ErrorRegistry, type ProblemContext } from '../../platform/http/error-registry';
import type { FieldError, Problem } from './problem';

export type { FieldError, Problem } from './problem';

/**
 * Every error leaves the API as an RFC 9457 problem document. Problem `type` URIs are part of
 * the public contract: clients branch on them, so a slug, once published, never changes.
 */
export const PROBLEM_TYPE_BASE_URI = 'https://seizure-ledger.example/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const problemType = (slug: string): string => `${PROBLEM_TYPE_BASE_URI}${slug}`;

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Thrown by code that knows precisely which problem it reports; rendered as given. */
export class ProblemHttpException extends HttpException {
  constructor(readonly problem: Problem) {
    super(problem.detail, problem.status);
  }
}

interface StatusProblem {
  slug: string;
  title: string;
}

/** Problems for HttpExceptions that carry no more than a status; other statuses use `about:blank`. */
const PROBLEMS_BY_STATUS: ReadonlyMap<number, StatusProblem> = new Map([
  [400, { slug: 'bad-request', title: 'Bad request' }],
  [401, { slug: 'unauthorized', title: 'Unauthorized' }],
  [403, { slug: 'forbidden', title: 'Forbidden' }],
  [404, { slug: 'not-found', title: 'Not found' }],
  [405, { slug: 'method-not-allowed', title: 'Method not allowed' }],
  [406, { slug: 'not-acceptable', title: 'Not acceptable' }],
  [409, { slug: 'conflict', title: 'Conflict' }],
  [412, { slug: 'precondition-failed', title: 'Precondition failed' }],
  [413, { slug: 'payload-too-large', title: 'Request body too large' }],
  [415, { slug: 'unsupported-media-type', title: 'Unsupported media type' }],
  [422, { slug: 'unprocessable-content', title: 'Unprocessable content' }],
  [428, { slug: 'precondition-required', title: 'Precondition required' }],
  [429, { slug: 'too-many-requests', title: 'Too many requests' }],
  [500, { slug: 'internal-error', title: 'Internal server error' }],
  [503, { slug: 'service-unavailable', title: 'Service unavailable' }],
]);

const INTERNAL_ERROR: Problem = {
  status: HttpStatus.INTERNAL_SERVER_ERROR,
  slug: 'internal-error',
  title: 'Internal server error',
  detail: 'An unexpected error occurred; it has been logged.',
};

/** The shape of the `http-errors` objects that express's body-parser passes to `next()`. */
interface BodyParserError {
  status: number;
  /** Absent when the body's Content-Encoding failed to decode: body-parser passes zlib's error on with a 400. */
  type?: string;
  expose: boolean;
  message: string;
  limit?: number;
  /** The refused key, for `entity.key.refused` (see json-keys). */
  problem?: FieldError;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (!(error instanceof Error)) return false;
  const candidate = error as Error & Partial<BodyParserError>;
  return (
    typeof candidate.status === 'number' &&
    candidate.status < 500 &&
    candidate.expose === true &&
    (typeof candidate.type === 'string' || candidate.type === undefined)
  );
}

/**
 * Translates a body-parser failure into a problem. Must run before Nest's own error handler,
 * which turns a JSON syntax error into a bare BadRequestException and loses the reason.
 */
export function problemFromBodyParserError(error: unknown): ProblemHttpException | undefined {
  if (!isBodyParserError(error)) return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return new ProblemHttpException({
        status: HttpStatus.BAD_REQUEST,
        slug: 'malformed-json',
        title: 'Malformed JSON body',
        detail: 'The request body is not valid JSON (a single JSON object or array is expected).',
      });
    case 'entity.key.refused':
      return new ProblemHttpException({
        status: HttpStatus.BAD_REQUEST,
        slug: 'validation-failed',
        title: 'Request validation failed',
        detail: 'The request has 1 invalid field.',
        errors: error.problem ? [error.problem] : [],
      });
    case undefined:
      return new ProblemHttpException({
        status: HttpStatus.BAD_REQUEST,
        slug: 'undecodable-body',
        title: 'Request body cannot be decoded',
        detail:
          'The request body does not decode with its Content-Encoding; send it uncompressed, or gzip, deflate or br encoded as declared.',
      });
    case 'entity.too.large':
      return new ProblemHttpException({
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        slug: 'payload-too-large',
        title: 'Request body too large',
        detail:
          error.limit === undefined
            ? 'The request body exceeds the size limit.'
            : `The request body exceeds the limit of ${error.limit} bytes.`,
      });
    default: {
      // `expose` is body-parser's promise that the message is meant for the client.
      const known = PROBLEMS_BY_STATUS.get(error.status);
      return new ProblemHttpException({
        status: error.status,
        slug: known?.slug ?? 'bad-request',
        title: known?.title ?? 'Bad request',
        detail: error.message,
      });
    }
  }
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  /** Without a registry every domain error is a 500: only tests that raise none leave it out. */
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly errors: ErrorRegistry = new ErrorRegistry([]),
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const ctx = host.switchToHttp();
    const request: unknown = ctx.getRequest();
    const response: unknown = ctx.getResponse();
    // The path only: query strings may carry values that do not belong in logs or documents.
    const instance = String(httpAdapter.getRequestUrl(request)).split('?')[0];
    const method = String(httpAdapter.getRequestMethod(request));

    const problem = this.toProblem(exception, `${method} ${instance}`, contextOf(request));
    if (httpAdapter.isHeadersSent(response)) {
      // Too late for a problem document: end the response so the client sees it cut short.
      this.logger.error(`${method} ${instance}: error after the response started`);
      httpAdapter.end(response);
      return;
    }

    const document: ProblemDocument = {
      ...problem.extensions,
      type: problem.slug === undefined ? 'about:blank' : problemType(problem.slug),
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance,
      ...(problem.errors && { errors: [...problem.errors] }),
    };
    // Written directly: the adapter's reply() would reset a non-JSON Content-Type on error statuses.
    httpAdapter.status(response, problem.status);
    httpAdapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    httpAdapter.setHeader(response, 'Cache-Control', 'no-store');
    // Also set by the app-wide middleware; repeated here because problems can be written for errors raised before it ran.
    httpAdapter.setHeader(response, 'X-Content-Type-Options', 'nosniff');
    for (const [name, value] of Object.entries(problem.headers ?? {})) httpAdapter.setHeader(response, name, value);
    httpAdapter.end(response, JSON.stringify(document));
  }

  private toProblem(exception: unknown, where: string, context: ProblemContext): Problem {
    if (exception instanceof ProblemHttpException) {
      if (exception.problem.status >= 500) this.logger.error(`${where}: ${exception.problem.detail}`);
      return exception.problem;
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception, where);
    const registered = this.errors.problemFor(exception, context);
    if (registered) {
      // The error's own message may name hosts, files or driver codes: for operators, not clients.
      const error = exception as Error;
      if (registered.status >= 500) this.logger.error(`${where}: ${error.message}`, stackOf(error.cause) ?? error.stack);
      return registered;
    }
    const fromBody = problemFromBodyParserError(exception);
    if (fromBody) return fromBody.problem;

    this.logger.error(`${where}: unhandled ${describe(exception)}`, stackOf(exception));
    return INTERNAL_ERROR;
  }

  private fromHttpException(exception: HttpException, where: string): Problem {
    const status = exception.getStatus();
    const known = PROBLEMS_BY_STATUS.get(status);
    const detail = detailOf(exception.getResponse()) ?? STATUS_CODES[status] ?? 'Error';
    if (status >= 500) this.logger.error(`${where}: ${detail}`, exception.stack);
    return { status, slug: known?.slug, title: known?.title ?? STATUS_CODES[status] ?? 'Error', detail };
  }
}

/** Only If-Match matters to the registered mappings so far (see ProblemContext). */
function contextOf(request: unknown): ProblemContext {
  const ifMatch = (request as { headers?: Record<string, string | string[] | undefined> }).headers?.['if-match'];
  const value = typeof ifMatch === 'string' ? ifMatch.trim() : '';
  return { ifMatchGiven: value !== '' && value !== '*' };
}

/** Nest's HttpException bodies are a string or `{ message: string | string[], error, statusCode }`. */
function detailOf(response: string | object): string | undefined {
  if (typeof response === 'string') return response;
  const message: unknown = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((m): m is string => typeof m === 'string')) return message.join('; ');
  return undefined;
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `non-error value thrown (${typeof error})`;
}
