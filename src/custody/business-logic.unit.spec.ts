import type { Actor } from '../shared/actor';
import { decide, type CommandContext, type SeizureCommand } from './business-logic';
import { evolve, initialSeizureState, type Custodian, type SealCheck, type SeizureEvent, type SeizureState } from './seizure';
import { deciderSpecification } from '../../test/support/decider-specification';
import { CASH, LIQUOR, NOW, SEIZURE_ID, actors, custodians, recordSeizureCommand, seizureRecorded } from '../../test/support/custody-fixtures';

const spec = deciderSpecification<SeizureCommand, SeizureEvent, SeizureState, CommandContext>({ decide, evolve, initialState: initialSeizureState });
const as = (actor: Actor): CommandContext => ({ actor, now: NOW });
type History = Array<SeizureEvent & { actorSub?: string; eventId?: string }>;

const recorded = seizureRecorded();
const cashToTreasury = {
  type: 'CustodyTransferInitiated' as const,
  actorSub: actors.flyingSquad.sub,
  data: { transferId: 't-1', itemIds: [CASH], from: custodians.flyingSquad, to: custodians.treasury, sealNumbers: ['S-1001'], reason: 'deposit' },
};
const treasuryAccepted = {
  type: 'CustodyTransferAccepted' as const,
  actorSub: actors.treasuryOfficer.sub,
  data: {
    transferId: 't-1',
    itemIds: [CASH],
    from: custodians.flyingSquad,
    to: custodians.treasury,
    seals: [{ number: 'S-1001', condition: 'intact' as const }],
    countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
    remarks: '',
  },
};
const deposited = {
  type: 'CashDeposited' as const,
  actorSub: actors.treasuryOfficer.sub,
  data: { challanNumber: 'CH-88', treasury: custodians.treasury, itemIds: [CASH], amountPaise: 125_000_000, depositedOn: '2024-04-20' },
};
const referred = { type: 'ReferredToIncomeTax' as const, data: { referenceNumber: 'IT-1', office: 'ITO Varanasi', cashTotalPaise: 125_000_000, remarks: '' } };
const cleared = { type: 'IncomeTaxCleared' as const, data: { referenceNumber: 'IT-1', clearanceNumber: 'CLR-1', remarks: '' } };
const fir = { type: 'FirRegistered' as const, data: { firNumber: '112/2024', policeStation: 'Cantt', registeredOn: '2024-04-19', sections: ['60 Excise Act'] } };
const dgcOrder = (itemIds: string[]) => ({
  type: 'ReleaseOrdered' as const,
  data: { orderNumber: 'DGC-7', authority: 'dgc' as const, orderedOn: '2024-04-20', itemIds, releaseTo: { name: 'रमेश चंद्र', idDocument: null }, reasons: 'No FIR; business cash with bank slips' },
});

const transfer = (overrides: Partial<{ itemIds: string[]; to: Custodian; transferId: string }> = {}): SeizureCommand => ({
  type: 'InitiateCustodyTransfer',
  data: { transferId: 't-2', itemIds: [LIQUOR], to: custodians.malkhana, sealNumbers: ['S-1002', 'S-1003'], reason: 'case property', ...overrides },
});
const accept = (overrides: Partial<{ seals: SealCheck[]; quantity: number; transferId: string }> = {}): SeizureCommand => ({
  type: 'AcceptCustodyTransfer',
  data: {
    transferId: overrides.transferId ?? 't-1',
    seals: overrides.seals ?? [{ number: 'S-1001', condition: 'intact' }],
    countedQuantities: [{ itemId: CASH, quantity: overrides.quantity ?? 125_000_000 }],
    remarks: 'checked in the strong room',
  },
});
const deposit = (amountPaise = 125_000_000): SeizureCommand => ({
  type: 'DepositCash',
  data: { challanNumber: 'CH-88', treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' }, itemIds: [CASH], amountPaise, depositedOn: '2024-04-20' },
});
const release = (itemIds = [CASH]): SeizureCommand => ({
  type: 'ReleaseItems',
  data: { orderNumber: 'DGC-7', itemIds, releasedTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-4321' } }, identityChecked: true, remarks: '' },
});
const orderRelease = (itemIds = [CASH], orderNumber = 'DGC-7'): SeizureCommand => ({
  type: 'OrderRelease',
  data: { orderNumber, orderedOn: '2024-04-20', itemIds, releaseTo: { name: 'रमेश चंद्र', idDocument: null }, reasons: 'No FIR; business cash' },
});
const dispose = (itemIds = [LIQUOR]): SeizureCommand => ({
  type: 'DisposeItems',
  data: { orderNumber: 'CJM/2024/55', orderedOn: '2024-04-20', method: 'destroyed', itemIds, remarks: '' },
});

describe('RecordSeizure', () => {
  it('records the seizure with the officer from the token and the team as first custodian', () => {
    spec.given([]).when(recordSeizureCommand(), as(actors.flyingSquad)).then([{ type: 'SeizureRecorded', data: seizureRecorded().data }]);
  });

  it('treats a retry by the same officer with the same memo as done, and any other reuse of the id as a clash', () => {
    spec.given([recorded]).when(recordSeizureCommand(), as(actors.flyingSquad)).then([]);
    spec.given([recorded]).when(recordSeizureCommand({ memoNumber: 'OTHER' }), as(actors.flyingSquad)).thenRefuses('seizure-already-recorded');
    spec.given([recorded]).when(recordSeizureCommand(), as(actors.flyingSquadColleague)).thenRefuses('seizure-already-recorded');
  });

  it.each([
    ['fewer than two witnesses', { witnesses: [{ name: 'A', address: 'B' }] }, 'too-few-witnesses'],
    ['no items', { items: [] }, 'no-items'],
    ['a seizure time in the future', { seizedAt: '2024-04-21T00:00:00.000Z' }, 'date-in-future'],
    ['cash counted in ml', { items: [{ ...recordSeizureCommand().data.items[0], unit: 'ml' as const }] }, 'unit-not-allowed'],
    ['a fractional quantity', { items: [{ ...recordSeizureCommand().data.items[1], quantity: 1.5 }] }, 'not-a-positive-integer'],
    ['a zero value', { items: [{ ...recordSeizureCommand().data.items[1], estimatedValuePaise: 0 }] }, 'not-a-positive-integer'],
    ['cash valued apart from its amount', { items: [{ ...recordSeizureCommand().data.items[0], estimatedValuePaise: 1 }] }, 'cash-value-differs'],
    ['the same item id twice', { items: [recordSeizureCommand().data.items[0], recordSeizureCommand().data.items[0]] }, 'item-listed-twice'],
  ])('refuses %s', (_name, overrides, code) => {
    spec.given([]).when(recordSeizureCommand(overrides), as(actors.flyingSquad)).thenRefuses(code);
  });

  it('refuses a seizure outside the officer’s jurisdiction', () => {
    spec.given([]).when(recordSeizureCommand(), as(actors.outOfDistrict)).thenRefuses('out-of-scope');
  });
});

describe('ValueItems', () => {
  const value = (valuePaise: number, itemId = LIQUOR): SeizureCommand => ({ type: 'ValueItems', data: { valuations: [{ itemId, valuePaise }], basis: 'excise MRP list', reason: 'official valuation' } });

  it('supersedes the estimate and keeps the previous value', () => {
    spec.given([recorded]).when(value(5_200_000), as(actors.flyingSquad)).then([
      { type: 'ItemsValued', data: { valuations: [{ itemId: LIQUOR, valuePaise: 5_200_000, previousValuePaise: 4_800_000 }], basis: 'excise MRP list', reason: 'official valuation' } },
    ]);
  });

  it('refuses unknown items, non-positive values, revaluing cash, and released items', () => {
    spec.given([recorded]).when(value(5, 'item-x'), as(actors.flyingSquad)).thenRefuses('unknown-item');
    spec.given([recorded]).when(value(-5), as(actors.flyingSquad)).thenRefuses('not-a-positive-integer');
    spec.given([recorded]).when(value(99, CASH), as(actors.flyingSquad)).thenRefuses('cash-value-differs');
    const released = { type: 'ItemsReleased' as const, data: { orderNumber: 'DGC-7', itemIds: [LIQUOR], releasedTo: { name: 'x', idDocument: { type: 'a', number: '1' } }, identityChecked: true as const, releasedBy: custodians.flyingSquad, remarks: '' } };
    spec.given([recorded, dgcOrder([LIQUOR]), released]).when(value(5_200_000), as(actors.flyingSquad)).thenRefuses('item-no-longer-held');
  });

  it('refuses an unrecorded seizure and one out of scope', () => {
    spec.given([]).when(value(1), as(actors.flyingSquad)).thenRefuses('seizure-not-found');
    spec.given([recorded]).when(value(1), as(actors.outOfDistrict)).thenRefuses('out-of-scope');
  });
});

describe('custody transfers', () => {
  it('the current custodian starts a transfer; custody does not move yet', () => {
    spec.given([recorded]).when(transfer({ itemIds: [CASH], to: custodians.treasury, transferId: 't-1' }), as(actors.flyingSquadColleague)).thenProduces((events) => {
      expect(events).toEqual([
        { type: 'CustodyTransferInitiated', data: { transferId: 't-1', itemIds: [CASH], from: custodians.flyingSquad, to: custodians.treasury, sealNumbers: ['S-1002', 'S-1003'], reason: 'case property' } },
      ]);
    });
  });

  it('only the current custodian may start a transfer, one open transfer per item, not to itself', () => {
    spec.given([recorded]).when(transfer(), as(actors.otherTeam)).thenRefuses('not-current-custodian');
    spec.given([recorded, cashToTreasury]).when(transfer({ itemIds: [CASH] }), as(actors.flyingSquad)).thenRefuses('transfer-already-open');
    spec.given([recorded, cashToTreasury]).when(transfer({ transferId: 't-1' }), as(actors.flyingSquad)).thenRefuses('transfer-id-in-use');
    spec.given([recorded]).when(transfer({ to: custodians.flyingSquad }), as(actors.flyingSquad)).thenRefuses('transfer-to-self');
    // After acceptance the team no longer holds the cash.
    spec.given([recorded, cashToTreasury, treasuryAccepted]).when(transfer({ itemIds: [CASH] }), as(actors.flyingSquad)).thenRefuses('not-current-custodian');
  });

  it('the named recipient accepts with seals intact and counts that agree: no discrepancy', () => {
    spec.given([recorded, cashToTreasury]).when(accept(), as(actors.treasuryOfficer)).then([{ type: 'CustodyTransferAccepted', data: { ...treasuryAccepted.data, remarks: 'checked in the strong room' } }]);
  });

  it('a broken seal or a different count is accepted and recorded as a discrepancy', () => {
    spec.given([recorded, cashToTreasury]).when(accept({ seals: [{ number: 'S-1001', condition: 'broken' }], quantity: 124_950_000 }), as(actors.treasuryOfficer)).thenProduces((events) => {
      expect(events.map((e) => e.type)).toEqual(['CustodyTransferAccepted', 'DiscrepancyRecorded', 'DiscrepancyRecorded']);
      expect(events[1].data).toMatchObject({ kind: 'seals_broken', reference: 't-1', found: 'S-1001 broken' });
      expect(events[2].data).toMatchObject({ kind: 'count_differs', itemIds: [CASH], expected: 'item-cash: 125000000 paise', found: 'item-cash: 124950000 paise' });
    });
    spec.given([recorded, cashToTreasury]).when(accept({ seals: [{ number: 'S-1001', condition: 'missing' }, { number: 'S-9', condition: 'intact' }] }), as(actors.treasuryOfficer)).thenProduces((events) => {
      expect(events[1].data).toMatchObject({ kind: 'seals_broken', found: 'S-1001 missing; S-9 found but not handed over' });
    });
  });

  it('every seal handed over must be reported, once', () => {
    spec.given([recorded, cashToTreasury]).when(accept({ seals: [] }), as(actors.treasuryOfficer)).thenRefuses('report-every-seal');
    spec.given([recorded, cashToTreasury]).when(accept({ seals: [{ number: 'S-1001', condition: 'intact' }, { number: 'S-1001', condition: 'broken' }] }), as(actors.treasuryOfficer)).thenRefuses('seal-listed-twice');
  });

  it('only the named recipient accepts or rejects, once', () => {
    spec.given([recorded, cashToTreasury]).when(accept(), as(actors.otherTreasury)).thenRefuses('not-the-recipient');
    spec.given([recorded, cashToTreasury]).when(accept(), as(actors.flyingSquad)).thenRefuses('not-the-recipient');
    spec.given([recorded, cashToTreasury]).when({ type: 'RejectCustodyTransfer', data: { transferId: 't-1', reason: 'x' } }, as(actors.otherTreasury)).thenRefuses('not-the-recipient');
    spec.given([recorded, cashToTreasury, treasuryAccepted]).when(accept(), as(actors.treasuryOfficer)).thenRefuses('transfer-not-open');
    spec.given([recorded]).when(accept({ transferId: 'nope' }), as(actors.treasuryOfficer)).thenRefuses('unknown-transfer');
  });

  it('every item of the transfer must be counted exactly once', () => {
    const noCount: SeizureCommand = { type: 'AcceptCustodyTransfer', data: { transferId: 't-1', seals: [{ number: 'S-1001', condition: 'intact' }], countedQuantities: [], remarks: '' } };
    spec.given([recorded, cashToTreasury]).when(noCount, as(actors.treasuryOfficer)).thenRefuses('count-every-item');
  });

  it('a rejection frees the items to be transferred again; custody stays with the sender', () => {
    const rejected = {
      type: 'CustodyTransferRejected' as const,
      data: { transferId: 't-1', itemIds: [CASH], from: custodians.flyingSquad, to: custodians.treasury, reason: 'seal torn' },
    };
    spec.given([recorded, cashToTreasury]).when({ type: 'RejectCustodyTransfer', data: { transferId: 't-1', reason: 'seal torn' } }, as(actors.treasuryOfficer)).then([rejected]);
    spec.given([recorded, cashToTreasury, rejected]).when(transfer({ itemIds: [CASH], to: custodians.treasury, transferId: 't-3' }), as(actors.flyingSquad)).thenProduces((events) => {
      expect(events[0].type).toBe('CustodyTransferInitiated');
    });
  });
});

describe('cash deposits', () => {
  const held = [recorded, cashToTreasury, treasuryAccepted];

  it('the custodian deposits cash; the receiving treasury confirms it, someone other than the depositor', () => {
    spec.given(held).when(deposit(), as(actors.treasuryOfficer)).then([{ type: 'CashDeposited', data: deposited.data }]);
    spec.given([...held, deposited]).when({ type: 'ConfirmDeposit', data: { challanNumber: 'CH-88', confirmedAmountPaise: 125_000_000, remarks: 'credited' } }, as(actors.treasuryAccountant)).then([
      { type: 'DepositConfirmed', data: { challanNumber: 'CH-88', treasury: custodians.treasury, depositedAmountPaise: 125_000_000, confirmedAmountPaise: 125_000_000, remarks: 'credited' } },
    ]);
  });

  it('only cash, only by its custodian, only once, not while in transit', () => {
    spec.given(held).when({ ...deposit(), data: { ...(deposit().data as object), itemIds: [LIQUOR] } } as SeizureCommand, as(actors.flyingSquad)).thenRefuses('only-cash-can-be-deposited');
    spec.given(held).when(deposit(), as(actors.flyingSquad)).thenRefuses('not-current-custodian');
    spec.given([...held, deposited]).when({ ...deposit(), data: { ...(deposit().data as object), challanNumber: 'CH-89' } } as SeizureCommand, as(actors.treasuryOfficer)).thenRefuses('cash-already-deposited');
    spec.given([recorded, cashToTreasury]).when(deposit(), as(actors.flyingSquad)).thenRefuses('item-in-transit');
  });

  it('records a discrepancy when the challan or the confirmation differs', () => {
    spec.given(held).when(deposit(124_000_000), as(actors.treasuryOfficer)).thenProduces((events) => {
      expect(events.map((e) => e.type)).toEqual(['CashDeposited', 'DiscrepancyRecorded']);
      expect(events[1].data).toMatchObject({ kind: 'deposit_amount_differs', reference: 'CH-88' });
    });
    spec.given([...held, deposited]).when({ type: 'ConfirmDeposit', data: { challanNumber: 'CH-88', confirmedAmountPaise: 120_000_000, remarks: 'short' } }, as(actors.treasuryAccountant)).thenProduces((events) => {
      expect(events.map((e) => e.type)).toEqual(['DepositConfirmed', 'DiscrepancyRecorded']);
      expect(events[1].data).toMatchObject({ kind: 'deposit_amount_differs', expected: '125000000 paise deposited', found: '120000000 paise confirmed by the treasury' });
    });
  });

  it('only the receiving treasury confirms, not the depositor, once', () => {
    const confirm: SeizureCommand = { type: 'ConfirmDeposit', data: { challanNumber: 'CH-88', confirmedAmountPaise: 125_000_000, remarks: '' } };
    spec.given([...held, deposited]).when(confirm, as(actors.otherTreasury)).thenRefuses('not-the-receiving-treasury');
    spec.given([...held, deposited]).when(confirm, as(actors.treasuryOfficer)).thenRefuses('confirmer-made-the-deposit');
    spec.given([...held, deposited, { type: 'DepositConfirmed', data: { challanNumber: 'CH-88', treasury: custodians.treasury, depositedAmountPaise: 1, confirmedAmountPaise: 1, remarks: '' } }]).when(confirm, as(actors.treasuryAccountant)).thenRefuses('deposit-already-confirmed');
    spec.given(held).when(confirm, as(actors.treasuryAccountant)).thenRefuses('unknown-deposit');
  });
});

describe('income tax, FIR, release and disposal', () => {
  it('cash above Rs 10 lakh cannot be ordered released or released before Income Tax referral and clearance', () => {
    spec.given([recorded]).when(orderRelease(), as(actors.committee)).thenRefuses('income-tax-clearance-required');
    spec.given([recorded, referred]).when(orderRelease(), as(actors.committee)).thenRefuses('income-tax-clearance-required');
    spec.given([recorded, referred, cleared]).when(orderRelease(), as(actors.committee)).thenProduces((events) => {
      expect(events).toEqual([{ type: 'ReleaseOrdered', data: { ...(orderRelease().data as object), authority: 'dgc' } }]);
    });
    spec.given([recorded, dgcOrder([CASH])]).when(release(), as(actors.flyingSquad)).thenRefuses('income-tax-clearance-required');
  });

  it('cash at or below Rs 10 lakh needs no Income Tax clearance', () => {
    const small = seizureRecorded({ items: [{ ...recordSeizureCommand().data.items[0], quantity: 100_000_000, estimatedValuePaise: 100_000_000 }] });
    spec.given([small]).when(orderRelease(), as(actors.committee)).thenProduces((events) => expect(events[0].type).toBe('ReleaseOrdered'));
  });

  it('referral happens once, and only Income Tax clears, after referral', () => {
    spec.given([recorded, referred]).when({ type: 'ReferToIncomeTax', data: { referenceNumber: 'IT-2', office: 'x', remarks: '' } }, as(actors.flyingSquad)).thenRefuses('already-referred-to-income-tax');
    spec.given([recorded]).when({ type: 'ClearIncomeTax', data: { clearanceNumber: 'C', remarks: '' } }, as(actors.incomeTax)).thenRefuses('not-referred-to-income-tax');
    spec.given([recorded, referred]).when({ type: 'ClearIncomeTax', data: { clearanceNumber: 'C', remarks: '' } }, as(actors.flyingSquad)).thenRefuses('not-income-tax');
    spec.given([recorded, referred]).when({ type: 'ClearIncomeTax', data: { clearanceNumber: 'C', remarks: '' } }, as(actors.incomeTax)).then([
      { type: 'IncomeTaxCleared', data: { referenceNumber: 'IT-1', clearanceNumber: 'C', remarks: '' } },
    ]);
    spec.given([]).when({ type: 'ReferToIncomeTax', data: { referenceNumber: 'IT-2', office: 'x', remarks: '' } }, as(actors.flyingSquad)).thenRefuses('seizure-not-found');
  });

  it('once an FIR is registered only a court orders release or disposal', () => {
    spec.given([recorded, fir]).when(orderRelease([LIQUOR]), as(actors.committee)).thenRefuses('court-order-required');
    spec.given([recorded, fir]).when(orderRelease([LIQUOR], 'CJM-1'), as(actors.court)).thenProduces((events) => expect(events[0].data).toMatchObject({ authority: 'court' }));
    spec.given([recorded, fir]).when(dispose(), as(actors.committee)).thenRefuses('court-order-required');
    spec.given([recorded, fir, dgcOrder([LIQUOR])]).when(release([LIQUOR]), as(actors.flyingSquad)).thenRefuses('court-order-required');
    spec.given([recorded, fir]).when({ type: 'RegisterFir', data: { ...fir.data, firNumber: '113/2024' } }, as(actors.police)).thenRefuses('fir-already-registered');
  });

  it('a court orders disposal; the drug disposal committee disposes of drugs only; nobody else disposes', () => {
    spec.given([recorded, fir]).when(dispose(), as(actors.court)).then([{ type: 'ItemsDisposed', data: { ...(dispose().data as object), authority: 'court' } as never }]);
    spec.given([recorded]).when(dispose(), as(actors.committee)).thenRefuses('court-order-required');
    spec.given([recorded]).when(dispose(), as(actors.flyingSquad)).thenRefuses('disposal-order-required');
    spec.given([recorded]).when({ ...dispose(), data: { ...(dispose().data as object), orderNumber: ' ' } } as SeizureCommand, as(actors.court)).thenRefuses('disposal-order-required');
  });

  it('release needs an order covering the items, the custodian, and a checked identity', () => {
    const order = dgcOrder([LIQUOR]);
    spec.given([recorded]).when(release([LIQUOR]), as(actors.flyingSquad)).thenRefuses('release-order-required');
    spec.given([recorded, order]).when(release([CASH]), as(actors.flyingSquad)).thenRefuses('item-not-in-order');
    spec.given([recorded, order]).when(release([LIQUOR]), as(actors.otherTeam)).thenRefuses('not-current-custodian');
    spec.given([recorded, order]).when({ ...release([LIQUOR]), data: { ...(release([LIQUOR]).data as object), identityChecked: false } } as SeizureCommand, as(actors.flyingSquad)).thenRefuses('identity-not-checked');
    spec.given([recorded, order]).when(release([LIQUOR]), as(actors.flyingSquad)).thenProduces((events) => {
      expect(events).toEqual([expect.objectContaining({ type: 'ItemsReleased', data: expect.objectContaining({ itemIds: [LIQUOR], releasedBy: custodians.flyingSquad, identityChecked: true }) })]);
    });
  });

  it('released or disposed items cannot move, be deposited, valued or released again', () => {
    const order = dgcOrder([LIQUOR]);
    const released = { type: 'ItemsReleased' as const, data: { orderNumber: 'DGC-7', itemIds: [LIQUOR], releasedTo: { name: 'x', idDocument: { type: 'a', number: '1' } }, identityChecked: true as const, releasedBy: custodians.flyingSquad, remarks: '' } };
    const disposed = { type: 'ItemsDisposed' as const, data: { orderNumber: 'C-1', authority: 'court' as const, orderedOn: '2024-04-20', method: 'destroyed' as const, itemIds: [LIQUOR], remarks: '' } };
    for (const gone of [released, disposed] as History) {
      spec.given([recorded, order, gone]).when(transfer(), as(actors.flyingSquad)).thenRefuses('item-no-longer-held');
      spec.given([recorded, order, gone]).when(release([LIQUOR]), as(actors.flyingSquad)).thenRefuses('item-no-longer-held');
      spec.given([recorded, order, gone]).when(orderRelease([LIQUOR], 'DGC-8'), as(actors.committee)).thenRefuses('item-no-longer-held');
      spec.given([recorded, order, gone]).when(dispose(), as(actors.court)).thenRefuses('item-no-longer-held');
    }
    const cashGone = { ...disposed, data: { ...disposed.data, itemIds: [CASH] } };
    spec.given([recorded, cashGone]).when(deposit(), as(actors.flyingSquad)).thenRefuses('item-no-longer-held');
  });
});

describe('attachments and corrections', () => {
  it('adds an attachment to a recorded seizure only', () => {
    const attach: SeizureCommand = { type: 'AddAttachment', data: { sha256: 'b'.repeat(64), sizeBytes: 10, mediaType: 'image/jpeg', fileName: 'seal.jpg', description: 'seal photo' } };
    spec.given([recorded]).when(attach, as(actors.flyingSquad)).then([{ type: 'AttachmentAdded', data: attach.data as never }]);
    spec.given([]).when(attach, as(actors.flyingSquad)).thenRefuses('seizure-not-found');
  });

  it('a correction points at an earlier event of this seizure, by its author or an administrator', () => {
    const correction = (correctsEventId: string): SeizureCommand => ({ type: 'RecordCorrection', data: { correctsEventId, whatWasWrong: 'vehicle UP65AB1234', correction: 'vehicle UP65AB1243', reason: 'digits swapped' } });
    const history = [{ ...recorded, eventId: 'e-recorded' }];
    spec.given(history).when(correction('e-recorded'), as(actors.flyingSquad)).then([
      { type: 'CorrectionRecorded', data: { correctsEventId: 'e-recorded', correctsEventType: 'SeizureRecorded', whatWasWrong: 'vehicle UP65AB1234', correction: 'vehicle UP65AB1243', reason: 'digits swapped' } },
    ]);
    spec.given(history).when(correction('e-recorded'), as(actors.admin)).thenProduces((events) => expect(events).toHaveLength(1));
    spec.given(history).when(correction('e-recorded'), as(actors.flyingSquadColleague)).thenRefuses('not-the-author');
    spec.given(history).when(correction('e-unknown'), as(actors.flyingSquad)).thenRefuses('unknown-event');
  });
});

describe('evolve', () => {
  it('moves custody only on acceptance and tracks the seizure id', () => {
    const state = [recorded, cashToTreasury].map((e, i) => ({ ...e, eventId: `e${i}`, actorSub: 'x' })).reduce(evolve, initialSeizureState());
    if (state.status !== 'recorded') throw new Error('expected a recorded seizure');
    expect(state.seizureId).toBe(SEIZURE_ID);
    expect(state.items[CASH].custodian).toEqual(custodians.flyingSquad);
    expect(state.items[CASH].openTransferId).toBe('t-1');
    const after = evolve(state, { ...treasuryAccepted, eventId: 'e2' });
    if (after.status !== 'recorded') throw new Error('expected a recorded seizure');
    expect(after.items[CASH].custodian).toEqual(custodians.treasury);
    expect(after.items[CASH].openTransferId).toBeNull();
  });
});

describe('trust-core rules', () => {
  const value = (itemId = LIQUOR): SeizureCommand => ({ type: 'ValueItems', data: { valuations: [{ itemId, valuePaise: 5_000_000 }], basis: 'excise MRP list', reason: 'official valuation' } });
  const liquorToMalkhana = { type: 'CustodyTransferInitiated' as const, actorSub: actors.flyingSquad.sub, data: { transferId: 't-2', itemIds: [LIQUOR], from: custodians.flyingSquad, to: custodians.malkhana, sealNumbers: ['S-1002'], reason: 'case property' } };
  const malkhanaAccepted = {
    type: 'CustodyTransferAccepted' as const,
    actorSub: actors.malkhana.sub,
    data: { transferId: 't-2', itemIds: [LIQUOR], from: custodians.flyingSquad, to: custodians.malkhana, seals: [{ number: 'S-1002', condition: 'intact' as const }], countedQuantities: [{ itemId: LIQUOR, quantity: 48_000 }], remarks: '' },
  };

  it('only the current custodian values an item', () => {
    spec.given([recorded]).when(value(), as(actors.malkhana)).thenRefuses('not-current-custodian');
    spec.given([recorded, liquorToMalkhana, malkhanaAccepted]).when(value(), as(actors.flyingSquad)).thenRefuses('not-current-custodian');
    spec.given([recorded, liquorToMalkhana, malkhanaAccepted]).when(value(), as(actors.malkhana)).thenProduces((events) => {
      expect(events.map((e) => e.type)).toEqual(['ItemsValued']);
    });
  });

  describe('a release goes to the person and the document the order names', () => {
    const namedOrder = { ...dgcOrder([LIQUOR]), data: { ...dgcOrder([LIQUOR]).data, releaseTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } } } };
    const releaseTo = (name: string, type: string, number: string): SeizureCommand => ({
      type: 'ReleaseItems',
      data: { orderNumber: 'DGC-7', itemIds: [LIQUOR], releasedTo: { name, idDocument: { type, number } }, identityChecked: true, remarks: '' },
    });

    it('refuses someone the order does not name', () => {
      spec.given([recorded, namedOrder]).when(releaseTo('सुरेश कुमार', 'aadhaar', 'XXXX-XXXX-4321'), as(actors.flyingSquad)).thenRefuses('not-the-named-recipient');
    });

    it('refuses another kind of document, or another number, than the order names', () => {
      spec.given([recorded, namedOrder]).when(releaseTo('रमेश चंद्र', 'voter_id', 'XXXX-XXXX-4321'), as(actors.flyingSquad)).thenRefuses('not-the-named-document');
      spec.given([recorded, namedOrder]).when(releaseTo('रमेश चंद्र', 'aadhaar', 'XXXX-XXXX-9999'), as(actors.flyingSquad)).thenRefuses('not-the-named-document');
    });

    it('accepts the named person however spacing, case and hyphens are written', () => {
      spec.given([recorded, namedOrder]).when(releaseTo('  रमेश   चंद्र ', 'Aadhaar', 'xxxx xxxx 4321'), as(actors.flyingSquad)).thenProduces((events) => {
        expect(events.map((e) => e.type)).toEqual(['ItemsReleased']);
      });
    });
  });

  it("records the seizure in the officer's agency, from the token", () => {
    spec.given([]).when(recordSeizureCommand(), as(actors.police)).thenProduces((events) => {
      expect(events[0]).toMatchObject({ type: 'SeizureRecorded', data: { agency: 'police', seizingOfficer: { sub: actors.police.sub } } });
    });
  });

  describe('places from the reference data', () => {
    const at = (location: Partial<ReturnType<typeof recordSeizureCommand>['data']['location']>) =>
      recordSeizureCommand({ location: { ...recordSeizureCommand().data.location, ...location } });

    it.each([
      ['a district outside its state', { state: 'MH' }],
      ['an unknown district', { district: 'UP-XYZ' }],
      ['an assembly constituency of another district', { assemblyConstituency: 173 }],
      ['a parliamentary constituency that does not contain the AC', { parliamentaryConstituency: 35 }],
    ])('refuses %s', (_what, location) => {
      spec.given([]).when(at(location), as(actors.flyingSquad)).thenRefuses('unknown-place');
    });

    it('stores any spelling of a district as its one stored spelling, with the data version', () => {
      spec.given([]).when(at({ district: 'UP-187' }), as(actors.flyingSquad)).thenProduces((events) => {
        expect(events[0]).toMatchObject({ data: { location: { state: 'UP', district: 'UP-VNS' }, placesVersion: expect.stringMatching(/^\d{4}\.\d+$/) } });
      });
    });
  });

  describe('dates are Indian days', () => {
    const depositOn = (depositedOn: string): SeizureCommand => ({ ...deposit(), data: { ...(deposit().data as object), depositedOn } } as SeizureCommand);
    const history = [recorded, cashToTreasury, treasuryAccepted];
    const at = (now: string): CommandContext => ({ actor: actors.treasuryOfficer, now });

    it.each([
      ['00:01 IST', '2024-04-19T18:31:00.000Z', '2024-04-20'],
      ['05:29 IST', '2024-04-19T23:59:00.000Z', '2024-04-20'],
      ['05:31 IST', '2024-04-20T00:01:00.000Z', '2024-04-20'],
      ['23:59 IST', '2024-04-20T18:29:00.000Z', '2024-04-20'],
    ])("accepts today's Indian date at %s", (_when, now, today) => {
      spec.given(history).when(depositOn(today), at(now)).thenProduces((events) => expect(events[0].type).toBe('CashDeposited'));
    });

    it('refuses tomorrow in India, even where the UTC date is still today', () => {
      spec.given(history).when(depositOn('2024-04-21'), at('2024-04-20T18:29:00.000Z')).thenRefuses('date-in-future');
      spec.given(history).when(depositOn('2024-04-20'), at('2024-04-19T18:29:00.000Z')).thenRefuses('date-in-future');
    });
  });
});
