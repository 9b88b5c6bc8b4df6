/**
 * The seizure aggregate: its events, its state, and evolve. Pure: no framework, no store, no clock.
 * Money is integer paise; quantities are integers in a base unit (paise, ml, mg, pieces).
 */

export const CATEGORIES = ['cash', 'liquor', 'drugs', 'precious_metals', 'freebies', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const QUANTITY_UNITS = ['paise', 'ml', 'mg', 'pieces'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

/** The base units an item of each category may be counted in. */
export const UNITS_BY_CATEGORY: Record<Category, readonly QuantityUnit[]> = {
  cash: ['paise'],
  liquor: ['ml'],
  drugs: ['mg', 'pieces'],
  precious_metals: ['mg'],
  freebies: ['pieces', 'mg', 'ml'],
  other: ['pieces', 'mg', 'ml'],
};

export const CUSTODIAN_KINDS = ['team', 'person', 'treasury', 'malkhana', 'excise_warehouse', 'agency', 'court', 'laboratory'] as const;
export type CustodianKind = (typeof CUSTODIAN_KINDS)[number];

/** Who holds items: a unit (team, treasury, malkhana, court, …) by its id, or one person by user id. */
export interface Custodian {
  kind: CustodianKind;
  id: string;
  name: string;
}

export interface ActorRef {
  sub: string;
  name: string;
  unit: string;
}

export interface SeizedItem {
  itemId: string;
  category: Category;
  description: string;
  quantity: number;
  unit: QuantityUnit;
  packages: number;
  sealNumbers: string[];
  estimatedValuePaise: number;
}

export interface SeizureLocation {
  state: string;
  district: string;
  assemblyConstituency: number;
  parliamentaryConstituency: number;
  /** Null only in seizures recorded under older rules whose coordinate was not a number. */
  latitude: number | null;
  longitude: number | null;
  place: string;
}

export interface PersonSeizedFrom {
  name: string;
  idDocument: { type: string; number: string } | null;
  address: string;
  phone: string | null;
}

export interface Witness {
  name: string;
  address: string;
}

export interface MediaHash {
  kind: 'photo' | 'video';
  sha256: string;
}

export interface Election {
  id: string;
  name: string;
  /**
   * The poll date in the constituency (YYYY-MM-DD). Null only in seizures recorded under older
   * rules without an election: no deadline counts from it, and views say "not recorded".
   */
  pollDate: string | null;
}

export type ReleaseAuthority = 'dgc' | 'court';
export type DisposalAuthority = 'court' | 'drug_disposal_committee';
export type DisposalMethod = 'destroyed' | 'confiscated' | 'auctioned';
export type DiscrepancyKind = 'seals_broken' | 'count_differs' | 'deposit_amount_differs';

// ------------------------------------------------------------------------------------------
// Events: past-tense string literals. The actor and time live in the envelope's metadata.

export type SeizureRecorded = {
  type: 'SeizureRecorded';
  data: {
    seizureId: string;
    memoNumber: string;
    seizedAt: string;
    location: SeizureLocation;
    agency: string;
    team: string;
    seizingOfficer: ActorRef;
    magistrate: { name: string; designation: string } | null;
    seizedFrom: PersonSeizedFrom;
    vehicleNumber: string | null;
    witnesses: Witness[];
    media: MediaHash[];
    election: Election;
    linkedToCandidateOrParty: boolean;
    items: SeizedItem[];
    /** The seizing team holds everything until the first accepted transfer. */
    custodian: Custodian;
    /** The version of the places reference data the location was checked against; absent before checks began. */
    placesVersion?: string;
  };
};

export type ItemsValued = {
  type: 'ItemsValued';
  data: { valuations: Array<{ itemId: string; valuePaise: number; previousValuePaise: number }>; basis: string; reason: string };
};

export type CustodyTransferInitiated = {
  type: 'CustodyTransferInitiated';
  data: { transferId: string; itemIds: string[]; from: Custodian; to: Custodian; sealNumbers: string[]; reason: string };
};

export const SEAL_CONDITIONS = ['intact', 'broken', 'missing'] as const;
export type SealCondition = (typeof SEAL_CONDITIONS)[number];

/** What the recipient found of one seal. */
export interface SealCheck {
  number: string;
  condition: SealCondition;
}

/**
 * Schema version 2. Version 1 said only `sealsIntact: boolean` and `sealNumbersFound: string[]`,
 * which cannot tell which of three seals was broken; see upcasters.ts.
 */
export type CustodyTransferAccepted = {
  type: 'CustodyTransferAccepted';
  data: {
    transferId: string;
    itemIds: string[];
    from: Custodian;
    to: Custodian;
    seals: SealCheck[];
    countedQuantities: Array<{ itemId: string; quantity: number }>;
    remarks: string;
  };
};

export type CustodyTransferRejected = {
  type: 'CustodyTransferRejected';
  data: { transferId: string; itemIds: string[]; from: Custodian; to: Custodian; reason: string };
};

export type DiscrepancyRecorded = {
  type: 'DiscrepancyRecorded';
  data: {
    kind: DiscrepancyKind;
    itemIds: string[];
    /** What the discrepancy was found in: a transfer id or a challan number. */
    reference: string;
    expected: string;
    found: string;
    remarks: string;
  };
};

export type CashDeposited = {
  type: 'CashDeposited';
  data: { challanNumber: string; treasury: Custodian; itemIds: string[]; amountPaise: number; depositedOn: string };
};

export type DepositConfirmed = {
  type: 'DepositConfirmed';
  data: { challanNumber: string; treasury: Custodian; depositedAmountPaise: number; confirmedAmountPaise: number; remarks: string };
};

export type ReferredToIncomeTax = {
  type: 'ReferredToIncomeTax';
  data: { referenceNumber: string; office: string; cashTotalPaise: number; remarks: string };
};

export type IncomeTaxCleared = {
  type: 'IncomeTaxCleared';
  data: { referenceNumber: string; clearanceNumber: string; remarks: string };
};

export type FirRegistered = {
  type: 'FirRegistered';
  data: { firNumber: string; policeStation: string; registeredOn: string; sections: string[] };
};

export type ReleaseOrdered = {
  type: 'ReleaseOrdered';
  data: {
    orderNumber: string;
    authority: ReleaseAuthority;
    orderedOn: string;
    itemIds: string[];
    releaseTo: { name: string; idDocument: { type: string; number: string } | null };
    reasons: string;
  };
};

export type ItemsReleased = {
  type: 'ItemsReleased';
  data: {
    orderNumber: string;
    itemIds: string[];
    releasedTo: { name: string; idDocument: { type: string; number: string } };
    identityChecked: true;
    releasedBy: Custodian;
    remarks: string;
  };
};

export type ItemsDisposed = {
  type: 'ItemsDisposed';
  data: {
    orderNumber: string;
    authority: DisposalAuthority;
    orderedOn: string;
    method: DisposalMethod;
    itemIds: string[];
    remarks: string;
  };
};

export type AttachmentAdded = {
  type: 'AttachmentAdded';
  data: { sha256: string; sizeBytes: number; mediaType: string; fileName: string; description: string };
};

export type CorrectionRecorded = {
  type: 'CorrectionRecorded';
  data: { correctsEventId: string; correctsEventType: string; whatWasWrong: string; correction: string; reason: string };
};

export type SeizureEvent =
  | SeizureRecorded
  | ItemsValued
  | CustodyTransferInitiated
  | CustodyTransferAccepted
  | CustodyTransferRejected
  | DiscrepancyRecorded
  | CashDeposited
  | DepositConfirmed
  | ReferredToIncomeTax
  | IncomeTaxCleared
  | FirRegistered
  | ReleaseOrdered
  | ItemsReleased
  | ItemsDisposed
  | AttachmentAdded
  | CorrectionRecorded;

export type SeizureEventType = SeizureEvent['type'];

export const SEIZURE_EVENT_TYPES: readonly SeizureEventType[] = [
  'SeizureRecorded',
  'ItemsValued',
  'CustodyTransferInitiated',
  'CustodyTransferAccepted',
  'CustodyTransferRejected',
  'DiscrepancyRecorded',
  'CashDeposited',
  'DepositConfirmed',
  'ReferredToIncomeTax',
  'IncomeTaxCleared',
  'FirRegistered',
  'ReleaseOrdered',
  'ItemsReleased',
  'ItemsDisposed',
  'AttachmentAdded',
  'CorrectionRecorded',
];

/** An event as evolve sees it: the stored id lets corrections point at what they correct. */
export type SeizureEventEnvelope = SeizureEvent & { eventId: string; actorSub: string };

export const seizureStreamName = (seizureId: string): string => `seizure-${seizureId}`;

// ------------------------------------------------------------------------------------------
// State

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

const mapItems = (state: RecordedSeizure, itemIds: string[], change: (item: ItemState) => Partial<ItemState>) => {
  const items = { ...state.items };
  for (const id of itemIds) items[id] = { ...items[id], ...change(items[id]) };
  return items;
};

/**
 * Folds one event into the state. Total over recorded history: an event that decide would never
 * have produced still folds without throwing, because history cannot be refused after the fact.
 */
export function evolve(state: SeizureState, envelope: SeizureEventEnvelope): SeizureState {
  const { type, data } = envelope as SeizureEvent;
  if (state.status === 'not_recorded') {
    if (type !== 'SeizureRecorded') return state;
    return {
      status: 'recorded',
      seizureId: data.seizureId,
      memoNumber: data.memoNumber,
      seizingOfficerSub: data.seizingOfficer.sub,
      location: data.location,
      election: data.election,
      items: Object.fromEntries(
        data.items.map((i) => [
          i.itemId,
          {
            itemId: i.itemId,
            category: i.category,
            description: i.description,
            quantity: i.quantity,
            unit: i.unit,
            valuePaise: i.estimatedValuePaise,
            sealNumbers: i.sealNumbers,
            custodian: data.custodian,
            disposition: 'held' as const,
            openTransferId: null,
            depositChallan: null,
          },
        ]),
      ),
      transfers: {},
      deposits: {},
      incomeTax: { referenceNumber: null, cleared: false },
      fir: null,
      releaseOrders: {},
      events: { [envelope.eventId]: { type, actorSub: envelope.actorSub } },
    };
  }

  const s: RecordedSeizure = {
    ...state,
    events: { ...state.events, [envelope.eventId]: { type, actorSub: envelope.actorSub } },
  };
  switch (type) {
    case 'SeizureRecorded':
      return s;
    case 'ItemsValued': {
      const items = { ...s.items };
      for (const v of data.valuations) if (items[v.itemId]) items[v.itemId] = { ...items[v.itemId], valuePaise: v.valuePaise };
      return { ...s, items };
    }
    case 'CustodyTransferInitiated':
      return {
        ...s,
        items: mapItems(s, data.itemIds, () => ({ openTransferId: data.transferId })),
        transfers: {
          ...s.transfers,
          [data.transferId]: {
            transferId: data.transferId,
            itemIds: data.itemIds,
            from: data.from,
            to: data.to,
            sealNumbers: data.sealNumbers,
            status: 'open',
          },
        },
      };
    case 'CustodyTransferAccepted': {
      const transfer = s.transfers[data.transferId];
      return {
        ...s,
        items: mapItems(s, data.itemIds, () => ({
          custodian: data.to,
          openTransferId: null,
          sealNumbers: data.seals.filter((seal) => seal.condition !== 'missing').map((seal) => seal.number),
        })),
        transfers: transfer ? { ...s.transfers, [data.transferId]: { ...transfer, status: 'accepted' } } : s.transfers,
      };
    }
    case 'CustodyTransferRejected': {
      const transfer = s.transfers[data.transferId];
      return {
        ...s,
        items: mapItems(s, data.itemIds, () => ({ openTransferId: null })),
        transfers: transfer ? { ...s.transfers, [data.transferId]: { ...transfer, status: 'rejected' } } : s.transfers,
      };
    }
    case 'DiscrepancyRecorded':
      return s;
    case 'CashDeposited':
      return {
        ...s,
        items: mapItems(s, data.itemIds, () => ({ depositChallan: data.challanNumber })),
        deposits: {
          ...s.deposits,
          [data.challanNumber]: {
            challanNumber: data.challanNumber,
            treasury: data.treasury,
            itemIds: data.itemIds,
            amountPaise: data.amountPaise,
            depositedBy: envelope.actorSub,
            status: 'pending',
          },
        },
      };
    case 'DepositConfirmed': {
      const deposit = s.deposits[data.challanNumber];
      return deposit ? { ...s, deposits: { ...s.deposits, [data.challanNumber]: { ...deposit, status: 'confirmed' } } } : s;
    }
    case 'ReferredToIncomeTax':
      return { ...s, incomeTax: { referenceNumber: data.referenceNumber, cleared: false } };
    case 'IncomeTaxCleared':
      return { ...s, incomeTax: { ...s.incomeTax, cleared: true } };
    case 'FirRegistered':
      return { ...s, fir: data };
    case 'ReleaseOrdered':
      return {
        ...s,
        releaseOrders: {
          ...s.releaseOrders,
          [data.orderNumber]: { orderNumber: data.orderNumber, authority: data.authority, itemIds: data.itemIds, releaseTo: data.releaseTo },
        },
      };
    case 'ItemsReleased':
      return { ...s, items: mapItems(s, data.itemIds, () => ({ disposition: 'released' })) };
    case 'ItemsDisposed':
      return { ...s, items: mapItems(s, data.itemIds, () => ({ disposition: 'disposed' })) };
    case 'AttachmentAdded':
    case 'CorrectionRecorded':
      return s;
    default: {
      // A type this release does not know (written by a newer one) leaves the state as it is.
      const unknownType: never = type;
      void unknownType;
      return s;
    }
  }
}

/**
 * Fields that hold personal data of private persons (DPDP Act 2023), by event type: shown only to
 * roles that act on the case, and the fields a future erasure would make unreadable.
 */
export const PERSONAL_DATA_FIELDS: Partial<Record<SeizureEventType, readonly string[]>> = {
  SeizureRecorded: ['seizedFrom', 'witnesses'],
  ReleaseOrdered: ['releaseTo'],
  ItemsReleased: ['releasedTo'],
};
