import type {
  CashDeposited,
  CustodyTransferAccepted,
  CustodyTransferInitiated,
  SeizureEvent,
  SeizureEventEnvelope,
  SeizureRecorded,
} from './events';
import { foldCases } from './cases';
import { foldPersonalData } from './personal-data-inventory';
import type { ItemState, RecordedSeizure, SeizureState, TransferState } from './state';

/**
 * Folds one event into the state. Total over recorded history: an event that decide would never
 * have produced still folds without throwing, because history cannot be refused after the fact.
 */
export function evolve(state: SeizureState, envelope: SeizureEventEnvelope): SeizureState {
  const { type, data } = envelope as SeizureEvent;
  if (state.status === 'not_recorded') {
    return type === 'SeizureRecorded' ? firstRecorded(data, envelope) : state;
  }

  const s: RecordedSeizure = {
    ...state,
    events: { ...state.events, [envelope.eventId]: { type, actorSub: envelope.actorSub } },
    ...foldCases(state, envelope),
    personalData: foldPersonalData(state.personalData, envelope, releaseOrdinalIn(state)),
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
      return withTransferOpened(s, data);
    case 'CustodyTransferAccepted':
      return withTransferAccepted(s, data);
    case 'CustodyTransferRejected':
      return {
        ...s,
        items: mapItems(s, data.itemIds, () => ({ openTransferId: null })),
        transfers: withTransferStatus(s, data.transferId, 'rejected'),
      };
    case 'DiscrepancyRecorded':
      return s;
    case 'CashDeposited':
      return withCashDeposited(s, data, envelope.actorSub);
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
          [data.orderNumber]: {
            orderNumber: data.orderNumber,
            authority: data.authority,
            itemIds: data.itemIds,
            releaseTo: data.releaseTo,
            ordinal: s.releaseOrders[data.orderNumber]?.ordinal ?? releaseOrdinalIn(state)(data.orderNumber),
          },
        },
      };
    case 'ItemsReleased':
      return { ...s, items: mapItems(s, data.itemIds, () => ({ disposition: 'released' })) };
    case 'ItemsDisposed':
      return { ...s, items: mapItems(s, data.itemIds, () => ({ disposition: 'disposed' })) };
    // Cases open and close in foldCases above; the case events change nothing else.
    case 'AttachmentAdded':
    case 'CorrectionRecorded':
    case 'FirClosed':
    case 'CourtProceedingsDisposedOf':
    case 'IncomeTaxProceedingsClosed':
    case 'ReleaseDisputeRaised':
    case 'ReleaseDisputeResolved':
    case 'PersonalDataErased': // it changes the personal-data inventory above, nothing else
      return s;
    default: {
      // A type this release does not know (written by a newer one) leaves the state as it is.
      const unknownType: never = type;
      void unknownType;
      return s;
    }
  }
}

/** The state a stream starts with: every item held by the seizing team, nothing else yet. */
function firstRecorded(data: SeizureRecorded['data'], envelope: SeizureEventEnvelope): RecordedSeizure {
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
    cases: [],
    personalData: foldPersonalData({}, envelope, () => 1),
    allCasesClosedSince: null,
    lastCustodyEventAt: envelope.occurredAt,
    events: { [envelope.eventId]: { type: 'SeizureRecorded', actorSub: envelope.actorSub } },
  };
}

/** The ordinal of a release order by its number, as sealing counted it: the n-th distinct order number is n. */
const releaseOrdinalIn =
  (s: RecordedSeizure) =>
  (orderNumber: string): number =>
    s.releaseOrders[orderNumber]?.ordinal ?? Object.keys(s.releaseOrders).length + 1;

const mapItems = (state: RecordedSeizure, itemIds: string[], change: (item: ItemState) => Partial<ItemState>) => {
  const items = { ...state.items };
  for (const id of itemIds) items[id] = { ...items[id], ...change(items[id]) };
  return items;
};

/** A transfer the stream never opened keeps the transfers as they are. */
const withTransferStatus = (s: RecordedSeizure, transferId: string, status: TransferState['status']): RecordedSeizure['transfers'] => {
  const transfer = s.transfers[transferId];
  return transfer ? { ...s.transfers, [transferId]: { ...transfer, status } } : s.transfers;
};

function withTransferOpened(s: RecordedSeizure, data: CustodyTransferInitiated['data']): RecordedSeizure {
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
}

/** Custody moves on acceptance only; the items carry on with the seals the recipient found. */
function withTransferAccepted(s: RecordedSeizure, data: CustodyTransferAccepted['data']): RecordedSeizure {
  return {
    ...s,
    items: mapItems(s, data.itemIds, () => ({
      custodian: data.to,
      openTransferId: null,
      sealNumbers: data.seals.filter((seal) => seal.condition !== 'missing').map((seal) => seal.number),
    })),
    transfers: withTransferStatus(s, data.transferId, 'accepted'),
  };
}

function withCashDeposited(s: RecordedSeizure, data: CashDeposited['data'], depositedBy: string): RecordedSeizure {
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
        depositedBy,
        status: 'pending',
      },
    },
  };
}
