import { HttpStatus } from '@nestjs/common';
import { WrongExpectedRevisionError } from '../../ledger/errors';
import { ProblemHttpException } from '../../platform/http/problem-details.filter';
import { SeizureRuleViolation, type RuleKind } from '../errors';

const STATUS_BY_KIND: Record<RuleKind, number> = {
  not_found: HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.BAD_REQUEST,
};

const TITLE_BY_KIND: Record<RuleKind, string> = {
  not_found: 'Not found',
  forbidden: 'Not allowed by the custody rules',
  conflict: 'Refused by a custody rule',
  invalid: 'Invalid by a custody rule',
};

/**
 * Domain errors become HTTP problems here, at the edge and nowhere else. The problem type is the
 * rule's own code, so a client can tell "not the current custodian" from "transfer already open".
 */
export function toSeizureProblem(error: unknown, ifMatchGiven: boolean): ProblemHttpException | undefined {
  if (error instanceof SeizureRuleViolation) {
    return new ProblemHttpException({
      status: STATUS_BY_KIND[error.kind],
      slug: error.code,
      title: TITLE_BY_KIND[error.kind],
      detail: error.message,
      ...(error.field && { errors: [{ field: error.field, reason: error.message }] }),
    });
  }
  if (error instanceof WrongExpectedRevisionError) {
    return ifMatchGiven
      ? new ProblemHttpException({
          status: HttpStatus.PRECONDITION_FAILED,
          slug: 'stale-revision',
          title: 'The seizure has changed',
          detail: `If-Match named revision ${String(error.expected)}, but the seizure is at revision ${String(error.actual)}; read it again and decide anew.`,
        })
      : new ProblemHttpException({
          status: HttpStatus.CONFLICT,
          slug: 'concurrent-modification',
          title: 'The seizure changed while the command ran',
          detail: 'Another change was recorded at the same moment, twice in a row; retry the command.',
        });
  }
  return undefined;
}

/** ETags are the stream revision: `"7"`. Weak and strong forms are both accepted in If-Match. */
export const etagOf = (revision: number): string => `"${revision}"`;

/**
 * Reads If-Match. Returns undefined when absent or `*`, the revision otherwise; a value that is
 * not one of our ETags can never match, which RFC 9110 answers with 412.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(header.trim());
  if (!match) {
    throw new ProblemHttpException({
      status: HttpStatus.PRECONDITION_FAILED,
      slug: 'stale-revision',
      title: 'The seizure has changed',
      detail: 'If-Match must be an ETag returned by this API, such as "7".',
    });
  }
  return Number(match[1]);
}
