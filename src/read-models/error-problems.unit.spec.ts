import { ErrorRegistry } from '../platform/http/error-registry';
import { readModelErrorProblems } from './error-problems';
import { FeedClosingError, TooManyStreamsError } from './live-feed/live-feed';
import { InvalidSearchRequest } from './seizure-search/seizure-search.query';
import { InvalidInboxRequest } from './transfer-inbox/transfer-inbox.query';

const registry = new ErrorRegistry(readModelErrorProblems);
const problemOf = (error: unknown) => registry.problemFor(error, { ifMatchGiven: false });

describe('read model error problems', () => {
  it('answers a parameter only the query finds bad as a validation failure of that field', () => {
    const expected = (reason: string) => ({
      status: 400,
      slug: 'validation-failed',
      title: 'Request validation failed',
      detail: 'The request has 1 invalid field.',
      errors: [{ field: 'cursor', reason }],
    });
    expect(problemOf(new InvalidSearchRequest('cursor', 'cursor is from another listing'))).toEqual(
      expected('cursor is from another listing'),
    );
    expect(problemOf(new InvalidInboxRequest('cursor', 'cursor is malformed'))).toEqual(expected('cursor is malformed'));
  });

  it('tells a live-feed client when to come back', () => {
    expect(problemOf(new TooManyStreamsError(3))).toEqual({
      status: 429,
      slug: 'too-many-streams',
      title: 'Too many open streams',
      detail: 'You have 3 live-feed streams open already; close one first.',
      headers: { 'Retry-After': '30' },
    });
    expect(problemOf(new FeedClosingError())).toEqual({
      status: 503,
      slug: 'shutting-down',
      title: 'Shutting down',
      detail: 'The server is shutting down; reconnect in a moment.',
      headers: { 'Retry-After': '5' },
    });
  });
});
