import { errorProblems, type ErrorProblems } from '../platform/http/error-registry';
import { EvidenceLookupError, type EvidenceLookupProblem } from './tree-heads/tree-head-log';

const LOOKUP_TITLES: Record<EvidenceLookupProblem, string> = {
  'no-such-tree-head': 'No such tree head',
  'event-not-in-log': 'Event not in the Merkle log',
  'event-not-in-tree': 'Event not in that tree',
  'merkle-log-behind': 'Merkle log not caught up',
  'invalid-tree-sizes': 'Invalid tree sizes',
};

/** The evidence slice's errors as HTTP problems: tree-head and proof lookups. */
export const evidenceErrorProblems: readonly ErrorProblems[] = [
  errorProblems(EvidenceLookupError, Object.keys(LOOKUP_TITLES), (error) => ({
    status: error.status,
    slug: error.problem,
    title: LOOKUP_TITLES[error.problem],
    detail: error.message,
  })),
];
