import type { FirRegistered, ReleaseOrdered, SeizureEventType } from './events';
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
      /** Every event of the stream by id, with who recorded it, so corrections can be checked. */
      events: Record<string, { type: SeizureEventType; actorSub: string }>;
    };

export type RecordedSeizure = Extract<SeizureState, { status: 'recorded' }>;

export const initialSeizureState = (): SeizureState => ({ status: 'not_recorded' });
