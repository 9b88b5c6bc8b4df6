import { indianDayOf } from '../shared/indian-day';
import type { SeizureEvent, SeizureEventEnvelope, SeizureEventType } from './events';
import type { CaseEventRef, CaseKind, CaseState, RecordedSeizure } from './state';

/**
 * The cases on a seizure: the legal proceedings that need its personal data (the person seized
 * from, witnesses, release recipients) while they are open, under the DPDP Act 2023. Each opens
 * and closes by an event, recorded by whoever knows:
 *
 * - FIR: opened by `FirRegistered`, closed by `FirClosed` (an officer: the closure report was
 *   accepted, or the trial ended).
 * - Court: opened by `FirRegistered` (what is seized under an FIR is case property, reported to
 *   the magistrate and kept until the court decides), or by a court's `ReleaseOrdered` or
 *   `ItemsDisposed` when no court case is open (the court has taken up the seizure); closed by
 *   `CourtProceedingsDisposedOf` (the court). A court order made after that day opens a new
 *   court case (an appeal, a revision, a late application); see partOfClosedProceedings. Closing
 *   the FIR does not close it: the court still decides what becomes of the property.
 * - Income Tax: opened by `ReferredToIncomeTax`, closed by `IncomeTaxProceedingsClosed` (an
 *   Income Tax officer). `IncomeTaxCleared` closes nothing: it lets the cash go, while the
 *   assessment may go on; and proceedings may close without a clearance (Income Tax kept the cash).
 * - Release dispute: opened by `ReleaseDisputeRaised`, closed by `ReleaseDisputeResolved`, both by
 *   the District Grievance Committee; one case per dispute id.
 *
 * Nothing here refuses history: a closing event with nothing open to close leaves the cases as
 * they are, and an opening event while a case of its kind is open opens no second one.
 */

/** Events that change who holds an item or what became of it. */
const CUSTODY_EVENTS: ReadonlySet<SeizureEventType> = new Set<SeizureEventType>([
  'SeizureRecorded',
  'CustodyTransferAccepted',
  'CashDeposited',
  'DepositConfirmed',
  'ItemsReleased',
  'ItemsDisposed',
]);

export type CaseFold = Pick<RecordedSeizure, 'cases' | 'allCasesClosedSince' | 'lastCustodyEventAt'>;

/** The cases, and the instants derived from them, after one more event. */
export function foldCases(before: CaseFold, envelope: SeizureEventEnvelope): CaseFold {
  const cases = casesAfter(before.cases, envelope);
  return {
    cases,
    allCasesClosedSince: cases === before.cases ? before.allCasesClosedSince : allCasesClosedSince(cases),
    lastCustodyEventAt: CUSTODY_EVENTS.has(envelope.type) ? envelope.occurredAt : before.lastCustodyEventAt,
  };
}

function casesAfter(cases: CaseState[], envelope: SeizureEventEnvelope): CaseState[] {
  const by: CaseEventRef = { eventId: envelope.eventId, type: envelope.type, at: envelope.occurredAt };
  const event = envelope as SeizureEvent;
  switch (event.type) {
    case 'FirRegistered':
      return opened(opened(cases, 'fir', event.data.firNumber, by), 'court', null, by);
    case 'ReleaseOrdered':
    case 'ItemsDisposed':
      return event.data.authority === 'court' && !partOfClosedProceedings(cases, event.data.orderedOn)
        ? opened(cases, 'court', null, by)
        : cases;
    case 'ReferredToIncomeTax':
      return opened(cases, 'income_tax', event.data.referenceNumber, by);
    case 'ReleaseDisputeRaised':
      return opened(cases, 'release_dispute', event.data.disputeId, by);
    case 'FirClosed':
      return closed(cases, 'fir', null, by);
    case 'CourtProceedingsDisposedOf':
      return closed(cases, 'court', null, by, event.data.caseNumber);
    case 'IncomeTaxProceedingsClosed':
      return closed(cases, 'income_tax', null, by);
    case 'ReleaseDisputeResolved':
      return closed(cases, 'release_dispute', event.data.disputeId, by);
    default:
      return cases;
  }
}

/** The open case of a kind; for disputes, the one of that id. */
export function openCase(cases: readonly CaseState[], kind: CaseKind, disputeId: string | null = null): CaseState | undefined {
  return cases.find((c) => c.kind === kind && c.closed === null && (kind !== 'release_dispute' || c.reference === disputeId));
}

function opened(cases: CaseState[], kind: CaseKind, reference: string | null, by: CaseEventRef): CaseState[] {
  if (openCase(cases, kind, reference)) return cases;
  return [...cases, { kind, reference, opened: by, closed: null }];
}

function closed(cases: CaseState[], kind: CaseKind, disputeId: string | null, by: CaseEventRef, reference?: string): CaseState[] {
  const open = openCase(cases, kind, disputeId);
  if (!open) return cases;
  return cases.map((c) => (c === open ? { ...c, reference: c.reference ?? reference ?? null, closed: by } : c));
}

/**
 * A court order dated no later than the Indian day its court's proceedings were recorded as disposed
 * of belongs to them (the property order of a judgment is often recorded after the judgment); one
 * dated later means the court took the seizure up again (an appeal, a revision, a late application).
 */
function partOfClosedProceedings(cases: readonly CaseState[], orderedOn: string): boolean {
  const lastCourt = cases.filter((c) => c.kind === 'court').at(-1);
  return lastCourt?.closed != null && orderedOn <= indianDayOf(lastCourt.closed.at);
}

/** The instant the last open case closed; null while any is open, or if none ever opened. */
export function allCasesClosedSince(cases: readonly CaseState[]): string | null {
  if (cases.length === 0 || cases.some((c) => c.closed === null)) return null;
  return cases.map((c) => (c.closed as CaseEventRef).at).reduce(later);
}

const later = (a: string, b: string): string => (Date.parse(b) > Date.parse(a) ? b : a);

/**
 * When the retention period of the seizure's personal data starts; null while it is still needed.
 * It is needed while any case is open, and while any item is still held: a held item may yet have
 * to be returned to a named person, whose identity must then be checked. Once neither holds, the
 * clock starts at the later of the last case closing and the last change of custody. A seizure on
 * which no case ever opened (released by the committee without FIR, dispute or referral) starts
 * its clock at its last change of custody, the release or disposal that ended it, and not at the
 * seizure itself: until then the data served the release.
 */
export function retentionClockStartsAt(s: Pick<RecordedSeizure, 'items'> & CaseFold): string | null {
  if (Object.values(s.items).some((item) => item.disposition === 'held')) return null;
  if (s.cases.length === 0) return s.lastCustodyEventAt;
  return s.allCasesClosedSince === null ? null : later(s.allCasesClosedSince, s.lastCustodyEventAt);
}
