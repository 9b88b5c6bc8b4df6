import type { Custodian } from '../../custody/values';
import type { SeizureEvent } from '../../custody/events';
import { formatRupees as formatIndianRupees } from '../../shared/indian-format';

/**
 * One line per event for the seizure timeline. Built from the event alone (so a rebuild writes
 * the same text) and never from a field of the personal-data list (custody/personal-data.ts):
 * no person is named and no typed reason, remark, file name or correction is quoted, so the same
 * line can be shown to every role in scope. Readers who may see personal data get those fields
 * beside the summary, at read time.
 */
export function summarizeEvent(event: SeizureEvent): string {
  switch (event.type) {
    case 'SeizureRecorded': {
      const d = event.data;
      const categories = [...new Set(d.items.map((i) => i.category))].join(', ');
      const value = d.items.reduce((sum, i) => sum + i.estimatedValuePaise, 0);
      return (
        `Seized ${plural(d.items.length, 'item')} (${categories}) worth ${formatRupees(value)} under memo ${d.memoNumber}, ` +
        `by ${d.team} (${d.agency}) in ${d.location.district}, AC ${d.location.assemblyConstituency}`
      );
    }
    case 'ItemsValued':
      return `Revalued ${event.data.valuations.map((v) => `${v.itemId} from ${formatRupees(v.previousValuePaise)} to ${formatRupees(v.valuePaise)}`).join('; ')}`;
    case 'CustodyTransferInitiated': {
      const d = event.data;
      return `Handover ${d.transferId} of ${d.itemIds.join(', ')} from ${custodianName(d.from)} to ${custodianName(d.to)} started, ${seals(d.sealNumbers)}`;
    }
    case 'CustodyTransferAccepted': {
      const d = event.data;
      const found = d.seals.length === 0 ? 'no seals' : d.seals.map((s) => `${s.number} ${s.condition}`).join(', ');
      return `Handover ${d.transferId} accepted by ${custodianName(d.to)}: ${found}`;
    }
    case 'CustodyTransferRejected':
      return `Handover ${event.data.transferId} rejected by ${custodianName(event.data.to)}`;
    case 'DiscrepancyRecorded': {
      const d = event.data;
      return `Discrepancy (${d.kind.replace(/_/g, ' ')}) in ${d.reference} for ${d.itemIds.join(', ')}: expected ${d.expected}; found ${d.found}`;
    }
    case 'CashDeposited':
      return `${formatRupees(event.data.amountPaise)} deposited in ${custodianName(event.data.treasury)} under challan ${event.data.challanNumber}`;
    case 'DepositConfirmed':
      return `Challan ${event.data.challanNumber} confirmed by ${custodianName(event.data.treasury)}: ${formatRupees(event.data.confirmedAmountPaise)} credited of ${formatRupees(event.data.depositedAmountPaise)}`;
    case 'ReferredToIncomeTax':
      return `Referred to Income Tax (${event.data.office}) under ${event.data.referenceNumber}, cash ${formatRupees(event.data.cashTotalPaise)}`;
    case 'IncomeTaxCleared':
      return `Income Tax cleared reference ${event.data.referenceNumber} under ${event.data.clearanceNumber}`;
    case 'FirRegistered':
      return `FIR ${event.data.firNumber} registered at ${event.data.policeStation}${event.data.sections.length > 0 ? ` under ${event.data.sections.join(', ')}` : ''}`;
    case 'ReleaseOrdered':
      return `Release of ${event.data.itemIds.join(', ')} ordered by the ${event.data.authority === 'dgc' ? 'District Grievance Committee' : 'court'} under order ${event.data.orderNumber}`;
    case 'ItemsReleased':
      return `${event.data.itemIds.join(', ')} released by ${custodianName(event.data.releasedBy)} under order ${event.data.orderNumber}, identity checked`;
    case 'ItemsDisposed':
      return `${event.data.itemIds.join(', ')} ${event.data.method} under order ${event.data.orderNumber} of the ${event.data.authority === 'court' ? 'court' : 'drug disposal committee'}`;
    case 'AttachmentAdded': {
      // The subject is a closed vocabulary (seized-from, witness-2…), never a name.
      const personal = event.data.personalDataOf === undefined ? '' : `, personal data of ${event.data.personalDataOf}`;
      return `Attachment (${event.data.mediaType}, ${plural(event.data.sizeBytes, 'byte')}${personal}) added, SHA-256 ${event.data.sha256.slice(0, 12)}…`;
    }
    case 'CorrectionRecorded':
      return `Correction to ${event.data.correctsEventType} ${event.data.correctsEventId}`;
    // Cases: references, dates and kinds only; their free text may hold personal data.
    case 'FirClosed':
      return `FIR ${event.data.firNumber} closed on ${event.data.closedOn} (${event.data.how === 'trial_ended' ? 'trial ended' : 'closure report accepted'}), ${event.data.reference}`;
    case 'CourtProceedingsDisposedOf':
      return `Court proceedings ${event.data.caseNumber} disposed of on ${event.data.disposedOn}`;
    case 'IncomeTaxProceedingsClosed':
      return `Income Tax proceedings under ${event.data.referenceNumber} closed on ${event.data.closedOn} by order ${event.data.orderNumber}`;
    case 'ReleaseDisputeRaised':
      return `Release dispute ${event.data.disputeId} over ${event.data.itemIds.join(', ')} raised on ${event.data.raisedOn}`;
    case 'ReleaseDisputeResolved':
      return `Release dispute ${event.data.disputeId} resolved on ${event.data.resolvedOn} (${event.data.outcome}) under ${event.data.reference}`;
    case 'PersonalDataErased': {
      const d = event.data;
      const whose = d.erasures.map((e) => e.subject.replace(/-/g, ' ')).join(', ');
      return `Personal data of ${whose || 'nobody'} erased (${d.legalBasis.replace(/_/g, ' ')}) under ${d.orderReference}${d.courtOrder ? `, court order ${d.courtOrder.orderNumber} of ${d.courtOrder.orderedOn}` : ''}`;
    }
    default: {
      // A type from a newer release still gets a line, so the timeline never hides an event.
      const unknown: never = event;
      return `Event ${(unknown as { type: string }).type}`;
    }
  }
}

const custodianName = (c: Custodian): string => `${c.name} (${c.kind.replace(/_/g, ' ')} ${c.id})`;

const seals = (numbers: string[]): string => (numbers.length === 0 ? 'no seals listed' : `seals ${numbers.join(', ')}`);

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Rupees in the Indian grouping, with "Rs" as the timeline has always written them. */
export function formatRupees(paise: number): string {
  return formatIndianRupees(paise, 'Rs ');
}
