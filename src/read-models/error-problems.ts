import { errorProblems, type ErrorProblems } from '../platform/http/error-registry';
import { invalidFieldProblem } from '../platform/http/validation';
import { FeedClosingError, TooManyStreamsError } from './live-feed/live-feed';
import { InvalidSearchRequest } from './seizure-search/seizure-search.query';
import { InvalidInboxRequest } from './transfer-inbox/transfer-inbox.query';

/**
 * The read models' errors as HTTP problems. A parameter found bad only by the query (a cursor
 * from another listing, say) is the same 400 as one its decorators refuse.
 */
export const readModelErrorProblems: readonly ErrorProblems[] = [
  errorProblems(InvalidInboxRequest, ['invalid-inbox-request'], (error) => invalidFieldProblem(error.field, error.message).problem),
  errorProblems(InvalidSearchRequest, ['invalid-search-request'], (error) => invalidFieldProblem(error.field, error.message).problem),
  errorProblems(TooManyStreamsError, ['too-many-streams'], (error) => ({
    status: 429,
    slug: 'too-many-streams',
    title: 'Too many open streams',
    detail: `You have ${error.limit} live-feed streams open already; close one first.`,
    headers: { 'Retry-After': '30' },
  })),
  errorProblems(FeedClosingError, ['feed-closing'], () => ({
    status: 503,
    slug: 'shutting-down',
    title: 'Shutting down',
    detail: 'The server is shutting down; reconnect in a moment.',
    headers: { 'Retry-After': '5' },
  })),
];
