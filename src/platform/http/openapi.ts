import { CustomDecorator, INestApplication, SetMetadata } from '@nestjs/common';
import { DECORATORS, DocumentBuilder, OpenAPIObject, ParameterObject, SwaggerModule } from '@nestjs/swagger';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency/idempotency-key';
import { withComposedExamples } from './openapi-examples';
import { swaggerUiHeaders } from './security-headers';

/** Swagger UI is served here and the OpenAPI document at `/docs-json`; both are public. */
export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';
export const BEARER_SECURITY_SCHEME = 'bearer';

/**
 * Marks a controller as needing no token in the OpenAPI document (its operations get
 * `security: []`), matching @Public(). The document requires the bearer token everywhere else,
 * as the global guard does. Class-level only: swagger drops an empty list given on a method.
 */
export const ApiPublic = (): CustomDecorator<string> => SetMetadata(DECORATORS.API_SECURITY, []);

const IDEMPOTENCY_KEY_PARAMETER: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the POST safe to retry: the same key and body return the first response (Idempotent-Replayed: true), ' +
    'the same key with another body is 422, a key whose request is still running is 409.',
  schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: '^[\\x20-\\x7E]+$' },
  example: 'fs3-vns-2024-117-transfer-1',
};

/** What a path parameter means, a valid value, and its schema, by the parameter's name. */
export type PathParameterDocs = Readonly<Record<string, Required<Pick<ParameterObject, 'description' | 'example' | 'schema'>>>>;

/**
 * Documents path parameters by name: the same name means the same thing on every route (a
 * seizureId is a seizure's UUID wherever it appears), so each feature states its names once.
 */
export function withDocumentedPathParameters(document: OpenAPIObject, docs: PathParameterDocs): OpenAPIObject {
  for (const operations of Object.values(document.paths)) {
    for (const operation of [operations.get, operations.post, operations.put, operations.patch, operations.delete]) {
      for (const parameter of operation?.parameters ?? []) {
        if (!('name' in parameter) || parameter.in !== 'path' || !Object.hasOwn(docs, parameter.name)) continue;
        const { description, example, schema } = docs[parameter.name] as { description: string; example: unknown; schema: object };
        Object.assign(parameter, { description, example, schema: { ...parameter.schema, ...schema } });
      }
    }
  }
  return document;
}

/** Lists the Idempotency-Key header on every POST, where the global interceptor honours it. */
export function withIdempotencyKeyHeader(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    const post = path.post;
    if (post === undefined) continue;
    const parameters = post.parameters ?? [];
    const listed = parameters.some((p) => 'name' in p && p.name.toLowerCase() === 'idempotency-key');
    if (!listed) post.parameters = [...parameters, IDEMPOTENCY_KEY_PARAMETER];
  }
  return document;
}

/**
 * Serves the OpenAPI document and Swagger UI. They are plain express routes outside Nest's
 * guards, so they need no token and count against no rate limit. The document is built on the
 * first request (then cached by swagger), after every module has registered its routes.
 */
export function setUpOpenApi(app: INestApplication, version: string, pathParameters: PathParameterDocs = {}): void {
  const config = new DocumentBuilder()
    .setTitle('Seizure Custody Ledger')
    .setDescription(
      'Event-sourced, tamper-evident chain-of-custody ledger for election seizures. Every route except ' +
        '/health needs a bearer token (JWT). Any POST may carry an Idempotency-Key header to be safe to retry. ' +
        'Errors are RFC 9457 problem documents (application/problem+json).',
    )
    .setVersion(version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SECURITY_SCHEME)
    .addSecurityRequirements(BEARER_SECURITY_SCHEME)
    .build();
  // Registered ahead of swagger's own routes so the page and every file under /docs carry the policy.
  app.use(`/${OPENAPI_UI_PATH}`, swaggerUiHeaders);
  const build = () =>
    withComposedExamples(withDocumentedPathParameters(withIdempotencyKeyHeader(SwaggerModule.createDocument(app, config)), pathParameters));
  SwaggerModule.setup(OPENAPI_UI_PATH, app, build, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
  });
}
