import type { SeizureCommand } from '../command';
import { retentionClockStartsAt } from '../cases';
import type { RecordedSeizure } from '../state';
import { CASH, LIQUOR, actors } from '../../../test/support/custody-fixtures';
import { spec, as, type History, recorded, referred, cleared, fir, dgcOrder } from './seizure-history.test-support';

// CloseFir, DisposeOfCourtProceedings, CloseIncomeTaxProceedings, RaiseReleaseDispute, ResolveReleaseDispute:
// who records that a proceeding on the seizure ended, and when they may.

const DISPUTE = '6f1c2b7a-0d4e-4a8b-9c3d-1e2f3a4b5c6d';

const closeFir = (overrides: Partial<Extract<SeizureCommand, { type: 'CloseFir' }>['data']> = {}): SeizureCommand => ({
  type: 'CloseFir',
  data: {
    how: 'closure_report_accepted',
    closedOn: '2024-04-20',
    court: 'CJM Varanasi',
    reference: 'CJM/VNS/2024/901',
    remarks: 'final report accepted',
    ...overrides,
  },
});
const disposeOfCourtProceedings: SeizureCommand = {
  type: 'DisposeOfCourtProceedings',
  data: { disposedOn: '2024-04-20', court: 'CJM Varanasi', caseNumber: 'CC 412/2024', remarks: 'property returned' },
};
const closeIncomeTax: SeizureCommand = {
  type: 'CloseIncomeTaxProceedings',
  data: { closedOn: '2024-04-20', orderNumber: 'ITO/W2/2024/77', remarks: 'assessment completed' },
};
const raiseDispute = (overrides: Partial<Extract<SeizureCommand, { type: 'RaiseReleaseDispute' }>['data']> = {}): SeizureCommand => ({
  type: 'RaiseReleaseDispute',
  data: { disputeId: DISPUTE, raisedOn: '2024-04-20', itemIds: [CASH], grounds: 'a brother claims the cash is his', ...overrides },
});
const resolveDispute = (disputeId = DISPUTE): SeizureCommand => ({
  type: 'ResolveReleaseDispute',
  data: { disputeId, resolvedOn: '2024-04-20', outcome: 'dismissed', reference: 'DGC/VNS/2024/40', remarks: 'claim not proved' },
});

const firClosed = {
  type: 'FirClosed' as const,
  data: { firNumber: '112/2024', ...(closeFir().data as object) } as never,
};
const courtDisposed = { type: 'CourtProceedingsDisposedOf' as const, data: disposeOfCourtProceedings.data as never };
const incomeTaxClosed = {
  type: 'IncomeTaxProceedingsClosed' as const,
  data: { referenceNumber: 'IT-1', ...(closeIncomeTax.data as object) } as never,
};
const disputeRaised = { type: 'ReleaseDisputeRaised' as const, data: raiseDispute().data as never };
const disputeResolved = { type: 'ReleaseDisputeResolved' as const, data: resolveDispute().data as never };
const courtOrder = { ...dgcOrder([LIQUOR]), data: { ...dgcOrder([LIQUOR]).data, orderNumber: 'CJM-1', authority: 'court' as const } };

const stateAfter = (history: History): RecordedSeizure => spec.given(history).state as RecordedSeizure;

describe('closing an FIR', () => {
  it('an officer records it, naming the FIR registered for the seizure', () => {
    spec
      .given([recorded, fir])
      .when(closeFir(), as(actors.police))
      .then([{ type: 'FirClosed', data: { firNumber: '112/2024', ...(closeFir().data as object) } as never }]);
    spec
      .given([recorded, fir])
      .when(closeFir({ how: 'trial_ended' }), as(actors.flyingSquad))
      .thenProduces((events) => expect(events[0].data).toMatchObject({ how: 'trial_ended' }));
  });

  it('is refused without a registered FIR, and a second time', () => {
    spec.given([recorded]).when(closeFir(), as(actors.police)).thenRefuses('fir-not-registered');
    spec.given([recorded, fir, firClosed]).when(closeFir(), as(actors.police)).thenRefuses('fir-already-closed');
  });

  it('is recorded by officers only', () => {
    spec.given([recorded, fir]).when(closeFir(), as(actors.court)).thenRefuses('not-an-officer');
    spec.given([recorded, fir]).when(closeFir(), as(actors.committee)).thenRefuses('not-an-officer');
  });

  it('cannot be dated after today in India, nor before the FIR was registered', () => {
    spec
      .given([recorded, fir])
      .when(closeFir({ closedOn: '2024-04-21' }), as(actors.police))
      .thenRefuses('date-in-future');
    spec
      .given([recorded, fir])
      .when(closeFir({ closedOn: '2024-04-18' }), as(actors.police))
      .thenRefuses('date-before-opening');
  });

  it('acts only on a recorded seizure within the officer’s scope', () => {
    spec.given([]).when(closeFir(), as(actors.police)).thenRefuses('seizure-not-found');
    spec.given([recorded, fir]).when(closeFir(), as(actors.outOfDistrict)).thenRefuses('out-of-scope');
  });
});

describe('disposing of court proceedings', () => {
  it('the court records it once an FIR or a court order opened them', () => {
    const expected = [{ type: 'CourtProceedingsDisposedOf', data: disposeOfCourtProceedings.data } as never];
    spec.given([recorded, fir]).when(disposeOfCourtProceedings, as(actors.court)).then(expected);
    spec.given([recorded, courtOrder]).when(disposeOfCourtProceedings, as(actors.court)).then(expected);
    spec
      .given([
        recorded,
        {
          type: 'ItemsDisposed',
          data: { orderNumber: 'CJM-2', authority: 'court', orderedOn: '2024-04-20', method: 'destroyed', itemIds: [LIQUOR], remarks: '' },
        },
      ])
      .when(disposeOfCourtProceedings, as(actors.court))
      .then(expected);
  });

  it('is refused when no court proceedings are open: none began, a committee order is not a court’s, or they were disposed of', () => {
    spec.given([recorded]).when(disposeOfCourtProceedings, as(actors.court)).thenRefuses('no-court-proceedings-open');
    spec
      .given([recorded, dgcOrder([LIQUOR])])
      .when(disposeOfCourtProceedings, as(actors.court))
      .thenRefuses('no-court-proceedings-open');
    spec.given([recorded, fir, courtDisposed]).when(disposeOfCourtProceedings, as(actors.court)).thenRefuses('no-court-proceedings-open');
  });

  it('a court order after the disposal opens new proceedings', () => {
    spec
      .given([recorded, fir, courtDisposed, courtOrder])
      .when(disposeOfCourtProceedings, as(actors.court))
      .thenProduces((events) => expect(events[0].type).toBe('CourtProceedingsDisposedOf'));
  });

  it('is recorded by a court only, and not dated after today', () => {
    spec.given([recorded, fir]).when(disposeOfCourtProceedings, as(actors.police)).thenRefuses('not-a-court');
    spec.given([recorded, fir]).when(disposeOfCourtProceedings, as(actors.committee)).thenRefuses('not-a-court');
    spec
      .given([recorded, fir])
      .when(
        {
          ...disposeOfCourtProceedings,
          data: { ...(disposeOfCourtProceedings.data as object), disposedOn: '2024-04-21' },
        } as SeizureCommand,
        as(actors.court),
      )
      .thenRefuses('date-in-future');
  });
});

describe('closing Income Tax proceedings', () => {
  it('an Income Tax officer records it for a referred seizure, cleared or not', () => {
    const expected = [
      { type: 'IncomeTaxProceedingsClosed', data: { referenceNumber: 'IT-1', ...(closeIncomeTax.data as object) } } as never,
    ];
    spec.given([recorded, referred]).when(closeIncomeTax, as(actors.incomeTax)).then(expected);
    spec.given([recorded, referred, cleared]).when(closeIncomeTax, as(actors.incomeTax)).then(expected);
  });

  it('is refused without a referral, and a second time', () => {
    spec.given([recorded]).when(closeIncomeTax, as(actors.incomeTax)).thenRefuses('not-referred-to-income-tax');
    spec
      .given([recorded, referred, incomeTaxClosed])
      .when(closeIncomeTax, as(actors.incomeTax))
      .thenRefuses('income-tax-proceedings-already-closed');
  });

  it('is recorded by Income Tax officers only', () => {
    spec.given([recorded, referred]).when(closeIncomeTax, as(actors.police)).thenRefuses('not-income-tax');
    spec.given([recorded, referred]).when(closeIncomeTax, as(actors.committee)).thenRefuses('not-income-tax');
    const incomeTaxAuditor = { ...actors.incomeTax, roles: ['auditor' as const] };
    spec.given([recorded, referred]).when(closeIncomeTax, as(incomeTaxAuditor)).thenRefuses('not-income-tax');
  });

  it('does not clear the cash: a release above Rs 10 lakh still needs the clearance', () => {
    spec
      .given([recorded, referred, incomeTaxClosed])
      .when(
        {
          type: 'OrderRelease',
          data: {
            orderNumber: 'DGC-9',
            orderedOn: '2024-04-20',
            itemIds: [CASH],
            releaseTo: { name: 'x', idDocument: null },
            reasons: 'no FIR',
          },
        },
        as(actors.committee),
      )
      .thenRefuses('income-tax-clearance-required');
  });
});

describe('release disputes', () => {
  it('the committee raises one with no case before it, over items of the seizure', () => {
    spec
      .given([recorded])
      .when(raiseDispute(), as(actors.committee))
      .then([{ type: 'ReleaseDisputeRaised', data: raiseDispute().data } as never]);
    spec
      .given([recorded])
      .when(raiseDispute({ itemIds: ['item-unknown'] }), as(actors.committee))
      .thenRefuses('unknown-item');
    spec
      .given([recorded])
      .when(raiseDispute({ raisedOn: '2024-04-21' }), as(actors.committee))
      .thenRefuses('date-in-future');
  });

  it('a dispute id is used once, even after the dispute was resolved', () => {
    spec.given([recorded, disputeRaised]).when(raiseDispute(), as(actors.committee)).thenRefuses('dispute-id-in-use');
    spec.given([recorded, disputeRaised, disputeResolved]).when(raiseDispute(), as(actors.committee)).thenRefuses('dispute-id-in-use');
  });

  it('the committee resolves an open dispute, once', () => {
    spec
      .given([recorded, disputeRaised])
      .when(resolveDispute(), as(actors.committee))
      .then([{ type: 'ReleaseDisputeResolved', data: resolveDispute().data } as never]);
    spec.given([recorded]).when(resolveDispute(), as(actors.committee)).thenRefuses('unknown-dispute');
    spec
      .given([recorded, disputeRaised, disputeResolved])
      .when(resolveDispute(), as(actors.committee))
      .thenRefuses('dispute-already-resolved');
  });

  it('is recorded by the committee only', () => {
    spec.given([recorded]).when(raiseDispute(), as(actors.court)).thenRefuses('not-the-committee');
    spec.given([recorded, disputeRaised]).when(resolveDispute(), as(actors.flyingSquad)).thenRefuses('not-the-committee');
  });
});

describe('cases on the seizure, folded from its events', () => {
  const at = (minute: number) => `2024-04-19T06:${String(minute).padStart(2, '0')}:00.000Z`;

  it('opens none for a seizure alone, and then nothing counts as closed', () => {
    const s = stateAfter([recorded]);
    expect(s.cases).toEqual([]);
    expect(s.allCasesClosedSince).toBeNull();
  });

  it('opens the FIR and court cases on an FIR, Income Tax on a referral, a dispute when raised; each closes by its own event', () => {
    const s = stateAfter([
      recorded,
      { ...fir, eventId: 'e-fir', occurredAt: at(1) },
      { ...referred, eventId: 'e-ref', occurredAt: at(2) },
      { ...disputeRaised, eventId: 'e-dis', occurredAt: at(3) },
      { ...firClosed, eventId: 'e-fir-closed', occurredAt: at(4) },
    ]);
    expect(s.cases).toEqual([
      {
        kind: 'fir',
        reference: '112/2024',
        opened: { eventId: 'e-fir', type: 'FirRegistered', at: at(1) },
        closed: { eventId: 'e-fir-closed', type: 'FirClosed', at: at(4) },
      },
      { kind: 'court', reference: null, opened: { eventId: 'e-fir', type: 'FirRegistered', at: at(1) }, closed: null },
      { kind: 'income_tax', reference: 'IT-1', opened: { eventId: 'e-ref', type: 'ReferredToIncomeTax', at: at(2) }, closed: null },
      { kind: 'release_dispute', reference: DISPUTE, opened: { eventId: 'e-dis', type: 'ReleaseDisputeRaised', at: at(3) }, closed: null },
    ]);
    expect(s.allCasesClosedSince).toBeNull();
  });

  it('counts all cases closed from the instant the last open one closed, in whatever order they close', () => {
    const s = stateAfter([
      recorded,
      { ...fir, occurredAt: at(1) },
      { ...referred, occurredAt: at(2) },
      { ...cleared, occurredAt: at(3) },
      { ...courtDisposed, occurredAt: at(4) },
      { ...incomeTaxClosed, occurredAt: at(5) },
      { ...firClosed, occurredAt: at(6) },
    ]);
    expect(s.cases.map((c) => [c.kind, c.closed?.type])).toEqual([
      ['fir', 'FirClosed'],
      ['court', 'CourtProceedingsDisposedOf'],
      ['income_tax', 'IncomeTaxProceedingsClosed'],
    ]);
    expect(s.cases[1].reference).toBe('CC 412/2024');
    expect(s.allCasesClosedSince).toBe(at(6));
  });

  it('a clearance closes no Income Tax case, and a closing event with nothing open changes nothing', () => {
    expect(stateAfter([recorded, referred, cleared]).cases[0].closed).toBeNull();
    const s = stateAfter([recorded, firClosed, courtDisposed, incomeTaxClosed, disputeResolved]);
    expect(s.cases).toEqual([]);
    expect(s.allCasesClosedSince).toBeNull();
  });

  it('a new case after all were closed opens the count again', () => {
    expect(stateAfter([recorded, referred, incomeTaxClosed, disputeRaised]).allCasesClosedSince).toBeNull();
  });
});

describe('when the retention clock of the personal data starts', () => {
  const at = (minute: number) => `2024-04-19T07:${String(minute).padStart(2, '0')}:00.000Z`;
  const releasedByCommittee = {
    type: 'ItemsReleased' as const,
    data: {
      orderNumber: 'DGC-7',
      itemIds: [CASH, LIQUOR],
      releasedTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-4321' } },
      identityChecked: true as const,
      releasedBy: { kind: 'team' as const, id: 'FS-VNS-03', name: 'Flying Squad 3' },
      remarks: '',
    },
  };
  const disposedByCourt = {
    type: 'ItemsDisposed' as const,
    data: {
      orderNumber: 'CJM-2',
      authority: 'court' as const,
      orderedOn: '2024-04-20',
      method: 'destroyed' as const,
      itemIds: [CASH, LIQUOR],
      remarks: '',
    },
  };
  const clock = (history: History) => retentionClockStartsAt(stateAfter(history));

  it('does not start while an item is still held, even with no case open', () => {
    expect(clock([recorded])).toBeNull();
    expect(clock([recorded, referred, incomeTaxClosed])).toBeNull();
  });

  it('with no case ever opened, starts at the last change of custody', () => {
    expect(
      clock([
        { ...recorded, occurredAt: at(0) },
        { ...dgcOrder([CASH, LIQUOR]), occurredAt: at(1) },
        { ...releasedByCommittee, occurredAt: at(2) },
      ]),
    ).toBe(at(2));
  });

  it('does not start while a case is open, and then at the later of the last closing and the last change of custody', () => {
    const disposed = [recorded, { ...fir, occurredAt: at(1) }, { ...disposedByCourt, occurredAt: at(2) }];
    expect(clock(disposed)).toBeNull();
    expect(clock([...disposed, { ...courtDisposed, occurredAt: at(3) }])).toBeNull();
    expect(clock([...disposed, { ...courtDisposed, occurredAt: at(3) }, { ...firClosed, occurredAt: at(4) }])).toBe(at(4));
  });

  it('counts a court order recorded after the disposal of its proceedings as theirs when it is dated no later, and waits for it', () => {
    const closed = [recorded, { ...fir, occurredAt: at(1) }, { ...firClosed, occurredAt: at(2) }, { ...courtDisposed, occurredAt: at(3) }];
    // at(3) is 19 April in India: an order of that day was the judgment's own; one of the 20th took the seizure up again.
    const judgmentsOwn = { ...disposedByCourt, data: { ...disposedByCourt.data, orderedOn: '2024-04-19' }, occurredAt: at(5) };
    expect(clock([...closed, judgmentsOwn])).toBe(at(5));
    expect(stateAfter([...closed, judgmentsOwn]).cases.filter((c) => c.kind === 'court')).toHaveLength(1);
    const later = { ...disposedByCourt, occurredAt: at(5) };
    expect(clock([...closed, later])).toBeNull();
    expect(stateAfter([...closed, later]).cases.filter((c) => c.kind === 'court')).toHaveLength(2);
  });
});
