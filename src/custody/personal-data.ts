import type { SeizureEventType } from './events';

/**
 * Fields that hold personal data of private persons (DPDP Act 2023), by event type: shown only to
 * roles that act on the case, and the fields a future erasure would make unreadable.
 */
export const PERSONAL_DATA_FIELDS: Partial<Record<SeizureEventType, readonly string[]>> = {
  SeizureRecorded: ['seizedFrom', 'witnesses'],
  ReleaseOrdered: ['releaseTo'],
  ItemsReleased: ['releasedTo'],
  // Free text of the case events: officers, courts and the committee write what they like there, names included.
  FirClosed: ['remarks'],
  CourtProceedingsDisposedOf: ['remarks'],
  IncomeTaxProceedingsClosed: ['remarks'],
  ReleaseDisputeRaised: ['grounds'],
  ReleaseDisputeResolved: ['remarks'],
};
