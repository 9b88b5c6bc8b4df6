/**
 * The rows of the steps that open and close no custody but the cases on a seizure: an FIR
 * closed, court proceedings disposed of, Income Tax proceedings closed, a release dispute raised
 * or resolved. Free text (remarks, grounds) may have been withheld from the bundle as personal
 * data: it prints as "withheld" then.
 */
import type { SeizureEvent } from '../../../custody/events';
import { plainText } from './printable';

const CASE_STEPS = [
  'FirClosed',
  'CourtProceedingsDisposedOf',
  'IncomeTaxProceedingsClosed',
  'ReleaseDisputeRaised',
  'ReleaseDisputeResolved',
] as const;
export type CaseStep = Extract<SeizureEvent, { type: (typeof CASE_STEPS)[number] }>;

export const isCaseStep = (event: SeizureEvent): event is CaseStep => (CASE_STEPS as readonly string[]).includes(event.type);

const withText = (label: string, text: string): string => {
  // A withheld text is a redaction marker, not a string, whatever the event's type says.
  const printed = plainText(text);
  return printed === '' ? '' : `; ${label}: ${printed}`;
};

const FIR_ENDED = { closure_report_accepted: 'its closure report was accepted', trial_ended: 'its trial ended' } as const;

/** What the step says, and the items it concerns (none: the seizure as a whole). */
export function describeCaseStep(event: CaseStep, itemsText: (ids: string[]) => string): { what: string; itemIds: string[] } {
  switch (event.type) {
    case 'FirClosed': {
      const d = event.data;
      const how = FIR_ENDED[d.how] ?? plainText(d.how);
      return {
        what: `FIR ${d.firNumber} closed on ${d.closedOn}: ${how} (${d.court}, ${d.reference})${withText('remarks', d.remarks)}`,
        itemIds: [],
      };
    }
    case 'CourtProceedingsDisposedOf': {
      const d = event.data;
      return {
        what: `Court proceedings ${d.caseNumber} of ${d.court} disposed of on ${d.disposedOn}${withText('remarks', d.remarks)}`,
        itemIds: [],
      };
    }
    case 'IncomeTaxProceedingsClosed': {
      const d = event.data;
      return {
        what: `Income Tax proceedings under ${d.referenceNumber} closed on ${d.closedOn} by order ${d.orderNumber}${withText('remarks', d.remarks)}`,
        itemIds: [],
      };
    }
    case 'ReleaseDisputeRaised': {
      const d = event.data;
      return {
        what: `Release dispute ${d.disputeId} over ${itemsText(d.itemIds)} raised before the District Grievance Committee on ${d.raisedOn}${withText('grounds', d.grounds)}`,
        itemIds: d.itemIds,
      };
    }
    case 'ReleaseDisputeResolved': {
      const d = event.data;
      return {
        what: `Release dispute ${d.disputeId} resolved on ${d.resolvedOn} (${plainText(d.outcome)}) under ${d.reference}${withText('remarks', d.remarks)}`,
        itemIds: [],
      };
    }
    default: {
      const unknown: never = event;
      return { what: `${(unknown as { type: string }).type} step`, itemIds: [] };
    }
  }
}
