import type { Actor, Role } from '../shared/actor';
import type { JsonObject, JsonValue } from '../shared/json';
import type { SeizureEvent, SeizureEventType } from './events';

/**
 * The one list of personal data in the ledger (DPDP Act 2023): for each event type, which
 * top-level `data` fields hold it, and of what kind.
 *
 * - `identity`: who a private person is — the person seized from (name, ID document, address,
 *   phone), the witnesses, the person a release order names and the one items were released to.
 * - `free-text`: text a user types that may name or describe a person — reasons, remarks, the
 *   basis of a valuation, an attachment's file name and description, and every correction's text
 *   (a correction may restate any field, a misspelt name among them).
 *
 * Not personal data, and so shown to every role in scope: item descriptions and the place of
 * seizure (they describe things and places, and custodians need them to check a handover); names
 * of officials, teams, units, custodians, treasuries, police stations and offices (people acting
 * in office, and who holds an item is the chain of custody itself); codes and reference numbers
 * (memo, seal, challan, FIR, order, vehicle numbers); a discrepancy's `expected` and `found`,
 * which decide composes from counts, amounts and seal numbers, never from what a user writes.
 *
 * Every view withholds these fields from roles without personal-data access (see
 * withholdPersonalData), and a later erasure will make exactly these unreadable. The record is
 * total over event types, so a new event type does not compile until its fields are decided.
 */
export type PersonalDataKind = 'identity' | 'free-text';

type DataOf<T extends SeizureEventType> = Extract<SeizureEvent, { type: T }>['data'];

export type PersonalDataList = { readonly [T in SeizureEventType]: { readonly [F in keyof DataOf<T>]?: PersonalDataKind } };

export const PERSONAL_DATA: PersonalDataList = {
  SeizureRecorded: { seizedFrom: 'identity', witnesses: 'identity' },
  ItemsValued: { basis: 'free-text', reason: 'free-text' },
  CustodyTransferInitiated: { reason: 'free-text' },
  CustodyTransferAccepted: { remarks: 'free-text' },
  CustodyTransferRejected: { reason: 'free-text' },
  DiscrepancyRecorded: { remarks: 'free-text' },
  CashDeposited: {},
  DepositConfirmed: { remarks: 'free-text' },
  ReferredToIncomeTax: { remarks: 'free-text' },
  IncomeTaxCleared: { remarks: 'free-text' },
  FirRegistered: {},
  ReleaseOrdered: { releaseTo: 'identity', reasons: 'free-text' },
  ItemsReleased: { releasedTo: 'identity', remarks: 'free-text' },
  ItemsDisposed: { remarks: 'free-text' },
  AttachmentAdded: { fileName: 'free-text', description: 'free-text' },
  CorrectionRecorded: { whatWasWrong: 'free-text', correction: 'free-text', reason: 'free-text' },
  FirClosed: { remarks: 'free-text' },
  CourtProceedingsDisposedOf: { remarks: 'free-text' },
  IncomeTaxProceedingsClosed: { remarks: 'free-text' },
  ReleaseDisputeRaised: { grounds: 'free-text' },
  ReleaseDisputeResolved: { remarks: 'free-text' },
  PersonalDataErased: {},
};

export interface PersonalDataField {
  type: SeizureEventType;
  field: string;
  kind: PersonalDataKind;
}

/** The list flattened: one entry per event type and field, in the order above. */
export const PERSONAL_DATA_ENTRIES: readonly PersonalDataField[] = Object.entries(PERSONAL_DATA).flatMap(([type, fields]) =>
  Object.entries(fields as Record<string, PersonalDataKind>).map(([field, kind]) => ({ type: type as SeizureEventType, field, kind })),
);

const isKnownType = (type: string): type is SeizureEventType => Object.prototype.hasOwnProperty.call(PERSONAL_DATA, type);

/** The personal-data fields of an event type; an empty list for a type without any. */
export function personalDataFieldsOf(type: string): readonly string[] {
  return isKnownType(type) ? Object.keys(PERSONAL_DATA[type]) : [];
}

// ------------------------------------------------------------------------------------------
// Who may read it, and what the others see instead.

/**
 * Personal data is shown only to those who need it to act on the case; custodians, treasuries,
 * auditors and admins see that it exists, not what it is.
 */
export const PERSONAL_DATA_READERS: readonly Role[] = ['officer', 'committee', 'court'];

export const mayReadPersonalData = (actor: Actor): boolean => actor.roles.some((r) => PERSONAL_DATA_READERS.includes(r));

/** What a withheld value is replaced by, everywhere: the field stays, so readers see it exists. */
export const REDACTED = { redacted: true, reason: 'personal data: your role does not grant access' } as const;
export type Redacted = typeof REDACTED;

export const isRedacted = (value: unknown): value is Redacted =>
  typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true;

/** A value as a reader may see it: itself, or REDACTED when it is personal data the reader may not read. */
export function shownTo<T extends SeizureEventType, V>(actor: Actor, type: T, field: keyof DataOf<T> & string, value: V): V | Redacted {
  return (PERSONAL_DATA[type] as Record<string, PersonalDataKind | undefined>)[field] !== undefined && !mayReadPersonalData(actor)
    ? REDACTED
    : value;
}

/**
 * An event's `data` as a reader may see it: for a reader without personal-data access, every
 * listed field present is replaced by REDACTED. An event type this release does not know (written
 * by a newer one) has every field withheld from such readers, since nobody here decided which of
 * its fields are personal. `redacted` says whether anything could have been withheld.
 */
export function withholdPersonalData(type: string, data: JsonValue, actor: Actor): { data: JsonValue; redacted: boolean } {
  if (mayReadPersonalData(actor) || typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { data, redacted: false };
  }
  const fields = isKnownType(type) ? personalDataFieldsOf(type) : Object.keys(data);
  if (fields.length === 0) return { data, redacted: false };
  const shown: JsonObject = { ...data };
  for (const field of fields) if (Object.prototype.hasOwnProperty.call(shown, field)) shown[field] = REDACTED;
  return { data: shown, redacted: true };
}

/** The listed fields an event's `data` holds, with their values (for views that show them apart). */
export function personalDataOf(type: string, data: JsonValue): JsonObject {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  const fields = isKnownType(type) ? personalDataFieldsOf(type) : Object.keys(data);
  return Object.fromEntries(fields.filter((f) => Object.prototype.hasOwnProperty.call(data, f)).map((f) => [f, data[f]]));
}
