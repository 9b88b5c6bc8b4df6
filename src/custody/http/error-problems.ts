import { WrongExpectedRevisionError } from '../../ledger/errors';
import { errorProblems, type ErrorProblems } from '../../platform/http/error-registry';
import { SEIZURE_RULE_CODES, SeizureRuleViolation, type RuleKind } from '../errors';

const STATUS_BY_KIND: Record<RuleKind, number> = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  invalid: 400,
};

const TITLE_BY_KIND: Record<RuleKind, string> = {
  not_found: 'Not found',
  forbidden: 'Not allowed by the custody rules',
  conflict: 'Refused by a custody rule',
  invalid: 'Invalid by a custody rule',
};

/**
 * Custody's domain errors as HTTP problems. The problem type is the rule's own code, so a client
 * can tell "not the current custodian" from "transfer already open"; the status follows the kind
 * the rule was broken by (one code may be broken in two ways, e.g. disposal-order-required).
 */
export const custodyErrorProblems: readonly ErrorProblems[] = [
  errorProblems(SeizureRuleViolation, Object.keys(SEIZURE_RULE_CODES), (error) => ({
    status: STATUS_BY_KIND[error.kind],
    slug: error.code,
    title: TITLE_BY_KIND[error.kind],
    detail: error.message,
    ...(error.field && { errors: [{ field: error.field, reason: error.message }] }),
  })),
  // With If-Match the caller read an older revision; without, the handler's one retry lost again.
  errorProblems(WrongExpectedRevisionError, ['wrong_expected_revision'], (error, { ifMatchGiven }) =>
    ifMatchGiven
      ? {
          status: 412,
          slug: 'stale-revision',
          title: 'The seizure has changed',
          detail: `If-Match named revision ${String(error.expected)}, but the seizure is at revision ${String(error.actual)}; read it again and decide anew.`,
        }
      : {
          status: 409,
          slug: 'concurrent-modification',
          title: 'The seizure changed while the command ran',
          detail: 'Another change was recorded at the same moment, twice in a row; retry the command.',
        },
  ),
];
