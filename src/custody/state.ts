import type { FirRegistered, ReleaseOrdered, SeizureEventType } from './events';
import type { PersonalDataInventory } from './personal-data-inventory';
import type { Category, Custodian, Election, QuantityUnit, ReleaseAuthority, SeizureLocation } from './values';

/** The seizure's state as decide sees it: what evolve folds from the stream. */

export type ItemDisposition = 'held' | 'released' | 'disposed';

export interface ItemState {
  itemId: string;
  category: Category;
  description: string;
  quantity: number;
  unit: QuantityUnit;
  valuePaise: number;
  sealNumbers: string[];
  custodian: Custodian;
  disposition: ItemDisposition;
  openTransferId: string | null;
  /** Challan under which this cash was deposited, if it was. */
  depositChallan: string | null;
}

export interface TransferState {
  transferId: string;
  itemIds: string[];
  from: Custodian;
  to: Custodian;
  sealNumbers: string[];
  status: 'open' | 'accepted' | 'rejected';
}

export interface DepositState {
  challanNumber: string;
  treasury: Custodian;
  itemIds: string[];
  amountPaise: number;
  depositedBy: string;
  status: 'pending' | 'confirmed';
}

export interface ReleaseOrderState {
  orderNumber: string;
  authority: ReleaseAuthority;
  itemIds: string[];
  releaseTo: ReleaseOrdered['data']['releaseTo'];
  /** 1 for the seizure's first release order, and so on: names its recipient's data subject. */
  ordinal: number;
}

/** The proceedings that need a seizure's personal data while open: an FIR, a court, Income Tax, a release dispute. */
export type CaseKind = 'fir' | 'court' | 'income_tax' | 'release_dispute';

/** Which event opened or closed a case, and when it was decided (UTC). */
export interface CaseEventRef {
  eventId: string;
  type: SeizureEventType;
  at: string;
}

export interface CaseState {
  kind: CaseKind;
  /** The FIR number, Income Tax reference or dispute id; null for a court case (its number comes with its disposal). */
  reference: string | null;
  opened: CaseEventRef;
  closed: CaseEventRef | null;
}

export type SeizureState =
  | { status: 'not_recorded' }
  | {
      status: 'recorded';
      seizureId: string;
      memoNumber: string;
      seizingOfficerSub: string;
      location: SeizureLocation;
      election: Election;
      items: Record<string, ItemState>;
      transfers: Record<string, TransferState>;
      deposits: Record<string, DepositState>;
      incomeTax: { referenceNumber: string | null; cleared: boolean };
      fir: FirRegistered['data'] | null;
      releaseOrders: Record<string, ReleaseOrderState>;
      /** Every case ever opened on the seizure, in the order they opened; see cases.ts for what opens and closes each. */
      cases: CaseState[];
      /** When the last open case closed; null while any is open, or if none ever opened. */
      allCasesClosedSince: string | null;
      /** When custody last changed: recorded, handed over, deposited, released or disposed of. */
      lastCustodyEventAt: string;
      /** Whose personal data the stream holds, field by field, and what was erased. */
      personalData: PersonalDataInventory;
      /** Every event of the stream by id, with who recorded it, so corrections can be checked. */
      events: Record<string, { type: SeizureEventType; actorSub: string }>;
    };

export type RecordedSeizure = Extract<SeizureState, { status: 'recorded' }>;

export const initialSeizureState = (): SeizureState => ({ status: 'not_recorded' });
