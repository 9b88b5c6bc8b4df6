import { IncomingMessage } from 'node:http';
import { INestApplication, LogLevel as NestLogLevel, NestApplicationOptions } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppModuleOptions } from './app.module';
import { attachmentErrorProblems } from './attachments/error-problems';
import { AppConfig, LogLevel } from './config/app-config';
import { custodyErrorProblems } from './custody/http/error-problems';
import { SEIZURE_PATH_PARAMETERS } from './custody/http/path-parameters';
import { STORED_BUNDLE_PATH_PARAMETERS } from './evidence/bundle/stored/path-parameters';
import { ATTACHMENT_UPLOAD_PATH } from './custody/http/seizure-attachments.http.controller';
import { evidenceErrorProblems } from './evidence/error-problems';
import { readPackageVersion } from './platform/package-version';
import { ledgerErrorProblems } from './ledger/error-problems';
import { ErrorRegistry } from './platform/http/error-registry';
import { readModelErrorProblems } from './read-models/error-problems';
import { rejectDeeplyNestedBodies } from './platform/http/json-depth';
import { refuseDuplicateAndReservedKeys } from './platform/http/json-keys';
import { setUpOpenApi } from './platform/http/openapi';
import { noSniff, privateByDefault } from './platform/http/security-headers';
import { ProblemDetailsFilter, ProblemHttpException, problemFromBodyParserError } from './platform/http/problem-details.filter';
import { createValidationPipe } from './platform/http/validation';

/** Every feature's domain errors and the problems they become: the filter itself knows no feature. */
export const errorRegistry = (): ErrorRegistry =>
  new ErrorRegistry([
    ...ledgerErrorProblems,
    ...custodyErrorProblems,
    ...readModelErrorProblems,
    ...evidenceErrorProblems,
    ...attachmentErrorProblems,
  ]);

/** Nest enables a level together with every more severe one; `fatal` is always on. */
const LOG_LEVEL_ORDER: readonly NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function nestLogLevels(level: LogLevel): NestLogLevel[] {
  return LOG_LEVEL_ORDER.slice(0, LOG_LEVEL_ORDER.indexOf(level) + 1);
}

/** Options for creating the Nest application; tests that build their own module pass the same ones. */
export function applicationOptions(config: AppConfig): NestApplicationOptions {
  return {
    // The JSON parser is installed by configureApp with the configured limit; Nest's default
    // parsers (100 kB JSON, urlencoded forms) must not run ahead of it.
    bodyParser: false,
    // Fail with an exception the caller can report instead of process.abort().
    abortOnError: false,
    logger: nestLogLevels(config.logLevel),
  };
}

/** Creates the fully configured application without listening. */
export async function createApp(config: AppConfig, options: AppModuleOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), applicationOptions(config));
  configureApp(app, config);
  return app;
}

/**
 * Everything that makes the HTTP surface behave as in production. Must run before init()/listen():
 * Nest binds global filters to its not-found and error handlers during init.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  // No need to advertise the framework to scanners.
  app.disable('x-powered-by');
  app.use(noSniff);
  app.use(privateByDefault);
  // Off by default: X-Forwarded-For is then ignored, so a client cannot choose the address it is limited by.
  app.set('trust proxy', config.trustProxy);
  app.use(rejectNonJsonBodies);
  app.useBodyParser('json', {
    limit: config.bodyLimitBytes,
    strict: true,
    type: ['application/json', 'application/*+json'],
    verify: refuseDuplicateAndReservedKeys,
  });
  app.use(bodyParserErrorsToProblems);
  app.use(rejectDeeplyNestedBodies());
  useProblemsAndValidation(app);
  setUpOpenApi(app, readPackageVersion(), { ...SEIZURE_PATH_PARAMETERS, ...STORED_BUNDLE_PATH_PARAMETERS });
}

/** Problem documents for every error and the one validation pipe: the part of configureApp that is not Express's. */
export function useProblemsAndValidation(app: INestApplication): void {
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost), errorRegistry()));
  app.useGlobalPipes(createValidationPipe());
}

type Next = (error?: unknown) => void;

export function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

/**
 * The API speaks JSON only, except for attachment uploads. A body of any other type would reach handlers unparsed and surface
 * as confusing validation errors, so it is refused up front with 415.
 */
export function rejectNonJsonBodies(request: IncomingMessage, _response: unknown, next: Next): void {
  const length = Number(request.headers['content-length'] ?? 0);
  const hasBody = request.headers['transfer-encoding'] !== undefined || length > 0;
  if (!hasBody || isJsonMediaType(request.headers['content-type'])) return next();
  // Attachment uploads stream their bytes to the content store; their controller checks the type.
  if (request.method === 'POST' && ATTACHMENT_UPLOAD_PATH.test((request.url ?? '').split('?')[0])) return next();
  next(
    new ProblemHttpException({
      status: 415,
      slug: 'unsupported-media-type',
      title: 'Unsupported media type',
      detail: 'Request bodies must be JSON (Content-Type: application/json).',
    }),
  );
}

/**
 * Nest maps a JSON syntax error to a bare BadRequestException before any filter sees it, so
 * body-parser failures are translated to problems here, right behind the parser.
 */
function bodyParserErrorsToProblems(error: unknown, _request: unknown, _response: unknown, next: Next): void {
  next(problemFromBodyParserError(error) ?? error);
}
