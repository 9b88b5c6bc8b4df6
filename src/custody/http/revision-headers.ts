import { HttpStatus } from '@nestjs/common';
import { ProblemHttpException } from '../../platform/http/problem-details.filter';

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
