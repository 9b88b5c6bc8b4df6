import { HttpStatus } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Response } from 'express';
import { ProblemHttpException } from '../../platform/http/problem-details.filter';

/** Whether a representation shows personal data (`full`) or withholds it from the caller's role (`redacted`). */
export type Representation = 'full' | 'redacted';

/**
 * ETags are the stream revision: `"7"`, and `"7-r"` for the redacted representation, so a cache
 * never answers one role's request with the other's copy (nor revalidates it with a 304).
 * Weak and strong forms of both are accepted in If-Match: they name the same revision.
 */
export const etagOf = (revision: number, representation: Representation = 'full'): string =>
  representation === 'full' ? `"${revision}"` : `"${revision}-r"`;

/**
 * Reads of a seizure differ by who asks (scope, personal-data access), so shared caches must key
 * them on the token; a copy holding personal data must not be stored at all, and a redacted one
 * is revalidated on every use.
 */
export function setRepresentationHeaders(res: Response, revision: number, representation: Representation): void {
  res.setHeader('ETag', etagOf(revision, representation));
  res.vary('Authorization');
  res.setHeader('Cache-Control', representation === 'full' ? 'private, no-store' : 'private, no-cache');
}

const ETAG = /^(?:W\/)?"(\d{1,15})(?:-r)?"$/;

/** Documents the If-Match header of a command route (OpenAPI), with the pattern parseIfMatch checks. */
export const IfMatchHeader = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The ETag of the seizure as you read it ("7", or "7-r" for a redacted copy): the command is refused with 412 ' +
      'if the seizure changed since. Without it the command is decided on the latest state.',
    example: '"7"',
    schema: { type: 'string', pattern: ETAG.source },
  });

/**
 * Reads If-Match. Returns undefined when absent or `*`, the revision otherwise; a value that is
 * not one of our ETags can never match, which RFC 9110 answers with 412.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = ETAG.exec(header.trim());
  if (!match) {
    throw new ProblemHttpException({
      status: HttpStatus.PRECONDITION_FAILED,
      slug: 'stale-revision',
      title: 'The seizure has changed',
      detail: 'If-Match must be an ETag returned by this API, such as "7" or "7-r".',
    });
  }
  return Number(match[1]);
}
