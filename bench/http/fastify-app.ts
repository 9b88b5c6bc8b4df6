import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from '../../src/app.module';
import { applicationOptions, isJsonMediaType, rejectNonJsonBodies, useProblemsAndValidation } from '../../src/bootstrap';
import type { AppConfig } from '../../src/config/app-config';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../../src/platform/http/json-depth';
import { refuseDuplicateAndReservedKeys } from '../../src/platform/http/json-keys';
import { ProblemHttpException } from '../../src/platform/http/problem-details.filter';
import { noSniff, privateByDefault } from '../../src/platform/http/security-headers';

/**
 * The real application (AppModule, same configuration, guards, interceptors, filter and pipe) on
 * Fastify instead of Express, for the bench only: a measurement of the command path, not a port.
 * What src/bootstrap.ts does through Express is given its Fastify equivalent here where the
 * command path needs it; what could not run on Fastify is listed in NOT_ON_FASTIFY.
 */
export const NOT_ON_FASTIFY: readonly string[] = [
  'attachment uploads (the controller streams the Express request; Fastify would need a pass-through content-type parser)',
  'the live feed (its controller writes the Node response behind Express; not exercised)',
  'Swagger UI and /docs-json (@nestjs/swagger serves its files on Fastify through @fastify/static, not installed)',
  'problem documents keep status and body but lose Content-Type and the headers set through the reply (WWW-Authenticate, Retry-After): the filter ends the raw response',
  'the static console with its CSP and the read routes: mounted, neither checked nor measured',
];

export async function createFastifyApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ trustProxy: config.trustProxy, bodyLimit: config.bodyLimitBytes });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, applicationOptions(config));
  const fastify = app.getHttpAdapter().getInstance();
  expressStyleReplies(fastify);
  app.use(noSniff);
  app.use(privateByDefault);
  app.use(rejectNonJsonBodies);
  parseJsonAsTheExpressAppDoes(fastify, config.bodyLimitBytes);
  useProblemsAndValidation(app);
  return app;
}

type Done = (error: Error | null, body?: unknown) => void;
const ENDED = Symbol('ended');
type Replying = FastifyReply & { [ENDED]?: () => void; end?: (payload: unknown) => unknown };

/**
 * The controllers, the auth guard and the idempotency interceptor are written against Express's
 * response (setHeader, location, vary) and Node's request (headersDistinct); Fastify's reply and
 * request get the same few methods. The interceptor records a response by wrapping `end`, which
 * Fastify never calls: an onSend hook hands it the serialized body and sends once it has stored it.
 */
function expressStyleReplies(fastify: FastifyInstance): void {
  fastify.decorateRequest('headersDistinct', {
    getter(this: FastifyRequest) {
      return this.raw.headersDistinct;
    },
  });
  fastify.decorateReply('setHeader', function (this: FastifyReply, name: string, value: unknown) {
    return this.header(name, value);
  });
  fastify.decorateReply('location', function (this: FastifyReply, url: string) {
    return this.header('location', url);
  });
  fastify.decorateReply('vary', function (this: FastifyReply, field: string) {
    const present = this.getHeader('vary');
    return this.header('vary', present === undefined ? field : `${String(present)}, ${field}`);
  });
  fastify.decorateReply('end', function (this: Replying) {
    this[ENDED]?.();
  });
  fastify.addHook('onSend', async (_request, reply: Replying, payload) => {
    if (!Object.hasOwn(reply, 'end') || reply.end === undefined) return payload;
    const wrapped = reply.end;
    await new Promise<void>((resolve) => {
      reply[ENDED] = resolve;
      wrapped.call(reply, payload);
    });
    return payload;
  });
}

/** An error shaped like body-parser's, so problemFromBodyParserError maps it as on Express. */
class BodyError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly type: string | undefined,
    message: string,
    readonly limit?: number,
  ) {
    super(message);
  }
  get statusCode(): number {
    return this.status;
  }
}

/**
 * JSON bodies as Express's body-parser takes them in configureApp: the same limit (of the decoded
 * bytes), gzip, deflate and br bodies decoded, utf-8 only, strict (an object or array), duplicate
 * and reserved keys refused before parsing, and the nesting depth checked after.
 */
function parseJsonAsTheExpressAppDoes(fastify: FastifyInstance, limit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request: FastifyRequest, payload: IncomingMessage, done: Done) => {
    // Any other type reaching here is an upload (rejectNonJsonBodies let it through), not ported.
    if (!isJsonMediaType(request.headers['content-type'])) return done(null, undefined);
    readDecoded(payload, request.headers['content-encoding'], limit).then(
      (bytes) => {
        try {
          done(null, parseJson(request, bytes));
        } catch (error) {
          done(error as Error);
        }
      },
      (error: Error) => done(error),
    );
  });
}

function parseJson(request: FastifyRequest, bytes: Buffer): unknown {
  const charset = /;\s*charset=([^;]+)/i
    .exec(request.headers['content-type'] ?? '')?.[1]
    ?.trim()
    .toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new BodyError(415, 'charset.unsupported', `unsupported charset "${charset.toUpperCase()}"`);
  if (bytes.length === 0) return {};
  refuseDuplicateAndReservedKeys(request.raw, undefined, bytes, 'utf8');
  const text = bytes.toString('utf8');
  // Strict, as configured for body-parser: an object or an array (other leading whitespace fails in JSON.parse anyway).
  const first = text.trimStart()[0];
  let body: unknown;
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
    body = JSON.parse(text);
  } catch (error) {
    throw new BodyError(400, 'entity.parse.failed', (error as Error).message);
  }
  if (exceedsJsonDepth(body, MAX_JSON_DEPTH)) {
    throw new ProblemHttpException({
      status: 400,
      slug: 'too-deeply-nested',
      title: 'JSON body nested too deeply',
      detail: `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`,
    });
  }
  return body;
}

function decoderFor(encoding: string): Readable | null {
  switch (encoding) {
    case 'identity':
      return null;
    case 'gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new BodyError(415, 'encoding.unsupported', `unsupported content encoding "${encoding}"`);
  }
}

/** The body's bytes after its Content-Encoding, refused once they pass `limit`. */
async function readDecoded(payload: IncomingMessage, contentEncoding: string | undefined, limit: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  const declared = Number(payload.headers['content-length']);
  if (encoding === 'identity' && declared > limit) throw new BodyError(413, 'entity.too.large', 'request entity too large', limit);
  const decoder = decoderFor(encoding);
  const source: Readable = decoder ? payload.pipe(decoder as unknown as NodeJS.WritableStream & Readable) : payload;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new BodyError(413, 'entity.too.large', 'request entity too large', limit);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof BodyError) throw error;
    // A body that does not decode: body-parser passes zlib's error on as a 400 without a type.
    throw new BodyError(400, undefined, (error as Error).message);
  }
  return Buffer.concat(chunks);
}
