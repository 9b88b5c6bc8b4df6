import { HttpStatus } from '@nestjs/common';
import { ProblemHttpException } from '../platform/http/problem-details.filter';
import type { FailedReadModel } from './read-model-failure';

/** Problem type of a query (or an evidence bundle) that needs a read model which failed. */
export const READ_MODEL_FAILED_SLUG = 'read-model-failed';

/**
 * 503 `read-model-failed`: the read model threw on an event and stays just before it until fixed
 * software is deployed, so — unlike `read-model-behind` — retrying will not help and no
 * Retry-After is sent. Names the event by position and type only, never its data.
 */
export function readModelFailedProblem(failed: readonly FailedReadModel[]): ProblemHttpException {
  const which = failed
    .map(
      (f) =>
        `the read model "${f.name}" failed at event #${f.failure.position} (${f.failure.eventType}) and stays at position ${f.position}`,
    )
    .join('; ');
  return new ProblemHttpException({
    status: HttpStatus.SERVICE_UNAVAILABLE,
    slug: READ_MODEL_FAILED_SLUG,
    title: 'Read model failed',
    detail: `This answer needs a read model that stopped: ${which}. Retrying will not help until the software is fixed and redeployed.`,
  });
}
