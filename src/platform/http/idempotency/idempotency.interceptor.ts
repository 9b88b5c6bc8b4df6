import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, Logger, NestInterceptor, StreamableFile } from '@nestjs/common';
import { Observable, of } from 'rxjs';
import { CLOCK, Clock } from '../../../shared/clock';
import { ProblemHttpException } from '../problem-details.filter';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey, requestDigest } from './idempotency-key';
import { IDEMPOTENCY_KEYS, keyedFingerprint, type IdempotencyKeys } from './idempotency-secret';
import { IDEMPOTENCY_STORE, type IdempotencyScope, type IdempotencyStore, type RecordedResponse } from './idempotency-store';

/** Injection token of the IdempotencyPolicy. */
export const IDEMPOTENCY_POLICY = Symbol('IdempotencyPolicy');

/** Injection token of the RequestSubject function. */
export const REQUEST_SUBJECT = Symbol('RequestSubject');

/**
 * Who sent a verified request (the token's subject), or undefined on public routes. Supplied by
 * the composition root from the auth module, so this platform code knows nothing of tokens.
 */
export type RequestSubject = (request: object) => string | undefined;

export interface IdempotencyPolicy {
  /** How long a completed response is replayed for its key. */
  readonly ttlMs: number;
  /**
   * How long a claim may stay unfinished before another request may take the key over. Only a
   * process that died mid-request leaves a claim that long; handlers finish in well under this.
   */
  readonly leaseMs: number;
}

/** Response headers stored with a record and set again on replay; the rest are per-response. */
export const REPLAYED_HEADERS = ['content-type', 'etag', 'location', 'cache-control'] as const;

export const REPLAYED_MARKER_HEADER = 'Idempotent-Replayed';

type ExpressRequest = IncomingMessage & { originalUrl?: string; body?: unknown };
type Writer = (...args: unknown[]) => unknown;

/**
 * An `Idempotency-Key` header makes any POST safe to retry: the same key and body return the
 * first response (with `Idempotent-Replayed: true`), the same key with another body is 422, and a
 * key whose request is still running is 409. Keys are scoped to the authenticated user, method
 * and path. A 2xx–4xx response is kept; after a 5xx the key is released so a retry runs again.
 *
 * Runs after the guards (so the actor is known) and before pipes (so a 400 from validation is
 * recorded like any other answer). The response is captured as written to the socket, so the
 * replay is byte for byte what the first caller received, problem documents included.
 * Requests without the header, other methods and @Public() routes (no user to scope by) pass
 * through untouched. The store gets a keyed fingerprint of the request, never its body, and the
 * log lines here name the method and path only: a body may hold personal data.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDEMPOTENCY_POLICY) private readonly policy: IdempotencyPolicy,
    @Inject(REQUEST_SUBJECT) private readonly subjectOf: RequestSubject,
    @Inject(IDEMPOTENCY_KEYS) private readonly keys: IdempotencyKeys,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<ExpressRequest>();
    const response = http.getResponse<ServerResponse>();
    if (request.method !== 'POST') return next.handle();
    const header = parseIdempotencyKey(request.headersDistinct[IDEMPOTENCY_KEY_HEADER]);
    if (header.kind === 'absent') return next.handle();
    const subject = this.subjectOf(request);
    if (subject === undefined) return next.handle();
    if (header.kind === 'invalid') {
      throw new ProblemHttpException({
        status: HttpStatus.BAD_REQUEST,
        slug: 'invalid-idempotency-key',
        title: 'Invalid Idempotency-Key header',
        detail: `The Idempotency-Key header is unusable: ${header.reason}.`,
      });
    }

    const target = request.originalUrl ?? request.url ?? '/';
    const scope: IdempotencyScope = {
      subject,
      method: request.method,
      path: target.split('?')[0],
      key: header.key,
    };
    const digest = requestDigest({ method: request.method, target, body: request.body, headers: request.headers });
    const fingerprint = keyedFingerprint(this.keys, digest);
    const now = this.clock.now();
    const at = (offsetMs: number): string => new Date(Date.parse(now) + offsetMs).toISOString();

    const claim = await this.withStore(() =>
      this.store.claim({ scope, fingerprint, now, expiresAt: at(this.policy.ttlMs), leaseExpiresAt: at(this.policy.leaseMs) }),
    );
    if (claim.outcome !== 'claimed' && claim.fingerprint !== fingerprint) {
      throw new ProblemHttpException({
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        slug: 'idempotency-key-reused',
        title: 'Idempotency-Key reused for another request',
        detail: 'This Idempotency-Key was already used with a different request body or query; ' + 'use a new key for a new request.',
      });
    }
    switch (claim.outcome) {
      case 'in-progress':
        response.setHeader('Retry-After', '1');
        throw new ProblemHttpException({
          status: HttpStatus.CONFLICT,
          slug: 'idempotency-key-in-use',
          title: 'Request with this Idempotency-Key in progress',
          detail: 'A request with this Idempotency-Key is still being processed; retry shortly to get its response.',
        });
      case 'completed':
        return of(replay(response, claim.response));
      case 'claimed':
        this.recordWhenWritten(response, scope, claim.claimToken);
        return next.handle();
    }
  }

  /**
   * Wraps the response's write/end so that, once the whole answer is known, it is stored (or the
   * claim released on a 5xx) before the last byte goes out: a client that has its answer and
   * retries at once gets the replay, never a 409.
   */
  private recordWhenWritten(response: ServerResponse, scope: IdempotencyScope, claimToken: string): void {
    const writable = response as unknown as { write: Writer; end: Writer };
    const originalWrite = writable.write;
    const originalEnd = writable.end;
    const chunks: Buffer[] = [];

    writable.write = (...args: unknown[]): unknown => {
      const chunk = toBuffer(args[0], args[1]);
      if (chunk !== undefined) chunks.push(chunk);
      return originalWrite.apply(response, args);
    };
    writable.end = (...args: unknown[]): unknown => {
      writable.write = originalWrite;
      writable.end = originalEnd;
      const chunk = toBuffer(args[0], args[1]);
      if (chunk !== undefined) chunks.push(chunk);
      const recorded: RecordedResponse = {
        status: response.statusCode,
        headers: replayedHeadersOf(response),
        body: Buffer.concat(chunks),
      };
      void this.settle(scope, claimToken, recorded)
        .then(() => originalEnd.apply(response, args))
        .catch((error: unknown) => this.logger.error(`${scope.method} ${scope.path}: ending the response failed: ${String(error)}`));
      return response;
    };
  }

  private async settle(scope: IdempotencyScope, claimToken: string, recorded: RecordedResponse): Promise<void> {
    try {
      if (recorded.status >= 500) {
        await this.store.release(scope, claimToken);
        return;
      }
      const stored = await this.store.complete(scope, claimToken, recorded, this.clock.now());
      if (!stored) this.logger.warn(`${scope.method} ${scope.path}: claim was taken over before the response was recorded`);
    } catch (error) {
      // The answer still goes out; without a record, a retry may run the request again.
      this.logger.error(
        `${scope.method} ${scope.path}: could not record the response: ${error instanceof Error ? error.message : String(error)}`,
      );
      await this.store.release(scope, claimToken).catch(() => undefined);
    }
  }

  private async withStore<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.error(`idempotency store failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new ProblemHttpException({
        status: HttpStatus.SERVICE_UNAVAILABLE,
        slug: 'service-unavailable',
        title: 'Service unavailable',
        detail: 'Idempotency records cannot be read or written right now; retry later with the same key.',
      });
    }
  }
}

/** Sets the recorded status and headers and hands Nest the recorded bytes to send unchanged. */
function replay(response: ServerResponse, recorded: RecordedResponse): StreamableFile | undefined {
  response.statusCode = recorded.status;
  for (const [name, value] of Object.entries(recorded.headers)) response.setHeader(name, value);
  response.setHeader(REPLAYED_MARKER_HEADER, 'true');
  if (recorded.body.length === 0) return undefined;
  return new StreamableFile(recorded.body, {
    type: recorded.headers['content-type'] ?? 'application/octet-stream',
    length: recorded.body.length,
  });
}

function replayedHeadersOf(response: ServerResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (typeof chunk === 'string') {
    return Buffer.from(chunk, typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8');
  }
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return undefined;
}
