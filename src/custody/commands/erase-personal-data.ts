import { isDataSubject } from '../../sealing/subjects';
import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { PersonalDataErased, SeizureEvent } from '../events';
import { requireDateNotAfter, requireRecorded } from '../rules';
import type { RecordedSeizure, SeizureState } from '../state';
import type { CourtOrderRef, ErasureBasis } from '../values';

export type ErasePersonalData = Cmd<
  'ErasePersonalData',
  { subjects: string[]; legalBasis: ErasureBasis; orderReference: string; courtOrder: CourtOrderRef | null }
>;

/** Who erases: the district election office's admin (the data fiduciary's officer), or a court by its own order. */
const ERASERS = ['admin', 'court'] as const;

/**
 * Erases the personal data of the named subjects (DPDP Act 2023) by crypto-shredding: the event
 * lists their sealed fields; the handler then destroys their keys. While the data is still needed
 * (a case is open, or an item is still held and may have to go back to a named person) only a
 * court order lets it go. Erasing again what is already erased changes nothing.
 */
export function decideErasePersonalData(command: ErasePersonalData, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (!ctx.actor.roles.some((r) => (ERASERS as readonly string[]).includes(r)))
    throw violation('not-an-eraser', 'forbidden', 'only the district election office (admin) or a court erases personal data');
  const d = command.data;
  requireCourtOrderWhereNeeded(d, ctx);
  const unknown = d.subjects.find((subject) => !isDataSubject(subject) || s.personalData[subject] === undefined);
  if (unknown !== undefined)
    throw violation('no-personal-data-of-subject', 'not_found', `this seizure holds no personal data of ${unknown}`, 'subjects');
  const stillNeeded = whatStillNeedsPersonalData(s);
  if (stillNeeded !== null && d.legalBasis === 'retention_period_ended')
    throw violation('retention-not-running', 'conflict', `the retention period has not begun: ${describe(stillNeeded)}`, 'legalBasis');
  if (stillNeeded !== null && d.courtOrder === null)
    throw violation('personal-data-still-needed', 'conflict', `${describe(stillNeeded)}; only a court order can have it erased now`);
  const due = d.subjects.filter((subject) => {
    const held = s.personalData[subject];
    return held.sealed.length > 0 || held.inClear.length > 0 || held.attachments.length > 0;
  });
  // A retried erasure, or one of subjects already erased: nothing left to erase.
  if (due.length === 0) return [];
  const data: PersonalDataErased['data'] = {
    erasures: due.map((subject) => ({ subject, fields: s.personalData[subject].sealed, attachments: s.personalData[subject].attachments })),
    keptInClear: due.flatMap((subject) => s.personalData[subject].inClear.map((f) => ({ ...f, subject }))),
    legalBasis: d.legalBasis,
    orderReference: d.orderReference,
    courtOrder: d.courtOrder,
    overrode: stillNeeded,
  };
  return [{ type: 'PersonalDataErased', data }];
}

function requireCourtOrderWhereNeeded(d: ErasePersonalData['data'], ctx: CommandContext): void {
  const byCourtOnly = !ctx.actor.roles.includes('admin');
  if (d.courtOrder === null && (d.legalBasis === 'court_order' || byCourtOnly)) {
    throw violation(
      'court-order-details-required',
      'invalid',
      'name the court order: court, order number and the day it was made',
      'courtOrder',
    );
  }
  if (d.courtOrder !== null) requireDateNotAfter(d.courtOrder.orderedOn, ctx.now, 'courtOrder.orderedOn');
}

type StillNeeded = NonNullable<PersonalDataErased['data']['overrode']>;

/** The open cases and held items that still need the seizure's personal data (see cases.ts); null when nothing does. */
export function whatStillNeedsPersonalData(s: RecordedSeizure): StillNeeded | null {
  const openCases = s.cases.filter((c) => c.closed === null).map((c) => ({ kind: c.kind, reference: c.reference }));
  const heldItemIds = Object.values(s.items)
    .filter((item) => item.disposition === 'held')
    .map((item) => item.itemId);
  return openCases.length === 0 && heldItemIds.length === 0 ? null : { openCases, heldItemIds };
}

function describe(needed: StillNeeded): string {
  const cases = needed.openCases.map((c) => `${c.kind.replace(/_/g, ' ')} ${c.reference ?? ''}`.trim());
  const parts = [
    ...(cases.length > 0 ? [`open: ${cases.join(', ')}`] : []),
    ...(needed.heldItemIds.length > 0 ? [`still held: ${needed.heldItemIds.join(', ')}`] : []),
  ];
  return `the personal data is still needed (${parts.join('; ')})`;
}
