import { Logger, type ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { ledgerErrorProblems } from '../../ledger/error-problems';
import { StoreUnavailableError } from '../../ledger/errors';
import { ProblemDetailsFilter, ProblemHttpException } from '../../platform/http/problem-details.filter';
import { ErrorRegistry, errorProblems } from './error-registry';

class ParcelError extends Error {
  constructor(
    readonly code: 'parcel-lost' | 'parcel-late',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Another error that happens to carry a registered code. */
class ForeignError extends Error {
  readonly code = 'parcel-lost';
}

const registry = new ErrorRegistry([
  errorProblems(ParcelError, ['parcel-lost'], (error) => ({
    status: 404,
    slug: 'parcel-lost',
    title: 'Parcel lost',
    detail: error.message,
  })),
  errorProblems(ParcelError, ['parcel-late'], (error, { ifMatchGiven }) => ({
    status: ifMatchGiven ? 412 : 503,
    slug: 'parcel-late',
    title: 'Parcel late',
    detail: 'The parcel is on its way.',
    headers: { 'Retry-After': '7' },
    ...(error.field && { errors: [{ field: error.field, reason: error.message }] }),
  })),
]);

interface Written {
  status?: number;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

/** Runs the filter on one error thrown while answering `GET /parcels/7?secret=x`. */
function answer(error: unknown, requestHeaders: Record<string, string> = {}, filterRegistry: ErrorRegistry = registry): Written {
  const written: Written = { headers: {} };
  const httpAdapter = {
    getRequestUrl: () => '/parcels/7?secret=x',
    getRequestMethod: () => 'GET',
    isHeadersSent: () => false,
    status: (_res: unknown, status: number) => (written.status = status),
    setHeader: (_res: unknown, name: string, value: string) => (written.headers[name] = value),
    end: (_res: unknown, body?: string) => (written.body = body === undefined ? undefined : (JSON.parse(body) as Record<string, unknown>)),
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ headers: requestHeaders }), getResponse: () => ({}) }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter({ httpAdapter } as unknown as HttpAdapterHost, filterRegistry).catch(error, host);
  return written;
}

let logged: jest.SpyInstance;
beforeEach(() => {
  logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
});
afterEach(() => logged.mockRestore());

describe('ProblemDetailsFilter with the error registry', () => {
  it('answers a registered domain error with its problem, without logging a client error', () => {
    const written = answer(new ParcelError('parcel-lost', 'parcel 7 was never sent'));
    expect(written.status).toBe(404);
    expect(written.headers['Content-Type']).toBe('application/problem+json; charset=utf-8');
    expect(written.body).toEqual({
      type: 'https://seizure-ledger.example/problems/parcel-lost',
      title: 'Parcel lost',
      status: 404,
      detail: 'parcel 7 was never sent',
      instance: '/parcels/7',
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it('passes on field errors and headers, and tells the mapping whether If-Match named a revision', () => {
    const late = new ParcelError('parcel-late', 'the courier names the depot', 'depot');
    const withoutIfMatch = answer(late);
    expect(withoutIfMatch.status).toBe(503);
    expect(withoutIfMatch.headers['Retry-After']).toBe('7');
    expect(withoutIfMatch.body?.errors).toEqual([{ field: 'depot', reason: 'the courier names the depot' }]);
    expect(answer(late, { 'if-match': '"3"' }).status).toBe(412);
    expect(answer(late, { 'if-match': ' * ' }).status).toBe(503);
    expect(answer(late, { 'if-match': '' }).status).toBe(503);
  });

  it('logs the message of a registered 5xx for operators while the client sees the problem detail', () => {
    const written = answer(new ParcelError('parcel-late', 'depot db at 10.0.0.7 refused'));
    expect(written.body?.detail).toBe('The parcel is on its way.');
    expect(logged).toHaveBeenCalledWith('GET /parcels/7: depot db at 10.0.0.7 refused', expect.any(String));
  });

  it('answers an unknown error with a 500 that does not leak its message', () => {
    const written = answer(new Error('password=hunter2 at /srv/secret'));
    expect(written.status).toBe(500);
    expect(written.body).toEqual({
      type: 'https://seizure-ledger.example/problems/internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
      instance: '/parcels/7',
    });
    expect(JSON.stringify(written.body)).not.toContain('hunter2');
    expect(logged).toHaveBeenCalledWith('GET /parcels/7: unhandled Error: password=hunter2 at /srv/secret', expect.any(String));
  });

  it('matches the class as well as the code: a foreign error with a registered code is a 500', () => {
    expect(answer(new ForeignError('ENOENT-like')).status).toBe(500);
    expect(answer({ code: 'parcel-lost' }).status).toBe(500);
  });

  it('without a registry, answers every domain error with a 500', () => {
    expect(answer(new ParcelError('parcel-lost', 'x'), {}, new ErrorRegistry([])).status).toBe(500);
  });

  it('still renders problems thrown as such', () => {
    const written = answer(
      new ProblemHttpException({ status: 415, slug: 'unsupported-media-type', title: 'Unsupported media type', detail: 'JSON only.' }),
    );
    expect(written.status).toBe(415);
    expect(written.body?.type).toBe('https://seizure-ledger.example/problems/unsupported-media-type');
  });
});

describe('the error registry', () => {
  it('answers an unavailable store with 503 store-unavailable, keeping its reason from the client', () => {
    const written = answer(new StoreUnavailableError('connect ECONNREFUSED 10.0.0.9:2113'), {}, new ErrorRegistry(ledgerErrorProblems));
    expect(written.status).toBe(503);
    expect(written.body).toEqual({
      type: 'https://seizure-ledger.example/problems/store-unavailable',
      title: 'Event store unavailable',
      status: 503,
      detail: 'The event store cannot be reached; retry later.',
      instance: '/parcels/7',
    });
  });

  it('refuses a code registered twice', () => {
    const twice = errorProblems(ParcelError, ['parcel-lost'], () => ({ status: 404, title: 'x', detail: 'x' }));
    expect(() => new ErrorRegistry([twice, twice])).toThrow('error code parcel-lost is registered twice');
  });
});
