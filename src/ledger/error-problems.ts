import { errorProblems, type ErrorProblems } from '../platform/http/error-registry';
import { StoreUnavailableError } from './errors';

/**
 * The store's errors that reach a client as themselves. A lost race (wrong expected revision) is
 * answered by whoever chose the expected revision: see custody's error problems. The other store
 * errors are bugs of ours and stay 500s.
 */
export const ledgerErrorProblems: readonly ErrorProblems[] = [
  // The reason names hosts, files or driver codes: the filter logs it, the client gets this.
  errorProblems(StoreUnavailableError, ['store_unavailable'], () => ({
    status: 503,
    slug: 'store-unavailable',
    title: 'Event store unavailable',
    detail: 'The event store cannot be reached; retry later.',
  })),
];
