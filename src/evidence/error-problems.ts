import { errorProblems, type ErrorProblems } from '../platform/http/error-registry';
import { readModelFailedProblem } from '../projections/read-model-failed.problem';
import { EvidenceNotReadyError } from './bundle/evidence-not-ready';
import { StoredBundleError } from './bundle/stored/stored-bundle-errors';
import { EvidenceLookupError, type EvidenceLookupProblem } from './tree-heads/tree-head-log';

const LOOKUP_TITLES: Record<EvidenceLookupProblem, string> = {
  'no-such-tree-head': 'No such tree head',
  'no-such-checkpoint': 'No such checkpoint',
  'event-not-in-log': 'Event not in the Merkle log',
  'event-not-in-tree': 'Event not in that tree',
  'merkle-log-behind': 'Merkle log not caught up',
  'invalid-tree-sizes': 'Invalid tree sizes',
};

/** Heads are signed every few seconds (TREE_HEAD_INTERVAL_SECONDS): worth asking again that soon. */
const RETRY_AFTER_SECONDS = '5';

const notReady = (detail: string) => ({ status: 503, slug: 'evidence-not-yet-signed', title: 'Evidence not ready', detail });

/** The evidence slice's errors as HTTP problems: tree-head and proof lookups, and bundles not ready yet. */
export const evidenceErrorProblems: readonly ErrorProblems[] = [
  errorProblems(EvidenceLookupError, Object.keys(LOOKUP_TITLES), (error) => ({
    status: error.status,
    slug: error.problem,
    title: LOOKUP_TITLES[error.problem],
    detail: error.message,
  })),
  // A failed read model stays failed until fixed software is deployed: no Retry-After.
  errorProblems(EvidenceNotReadyError, ['bundle-read-model-failed'], (error) => readModelFailedProblem(error.failed).problem),
  errorProblems(EvidenceNotReadyError, ['bundle-read-models-stopped'], (error) => notReady(error.message)),
  errorProblems(EvidenceNotReadyError, ['bundle-not-yet-covered'], (error) => ({
    ...notReady(error.message),
    headers: { 'Retry-After': RETRY_AFTER_SECONDS },
  })),
  // Witnesses are asked again every signing interval, a down one backs off: worth retrying soon.
  errorProblems(EvidenceNotReadyError, ['awaiting-witnesses'], (error) => ({
    status: 503,
    slug: 'awaiting-witnesses',
    title: 'Awaiting witness cosignatures',
    detail: error.message,
    headers: { 'Retry-After': RETRY_AFTER_SECONDS },
  })),
  errorProblems(StoredBundleError, ['stored-bundle-not-found'], (error) => ({
    status: 404,
    slug: 'stored-bundle-not-found',
    title: 'No such bundle',
    detail: error.message,
  })),
  // Gone for good: the erasure is recorded; a new bundle of the seizure shows it (Link).
  errorProblems(StoredBundleError, ['stored-bundle-erased'], (error) => ({
    status: 410,
    slug: 'stored-bundle-erased',
    title: 'Bundle erased',
    detail: error.message,
    headers: { Link: `</seizures/${error.seizureId ?? ''}/evidence>; rel="alternate"` },
  })),
];
