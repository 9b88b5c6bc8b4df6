import type { SeizureEvent, SeizureEventType } from '../../custody/events';
import { PERSONAL_DATA_ENTRIES } from '../../custody/personal-data';
import { custodians, seizureRecorded } from '../../../test/support/custody-fixtures';
import { summarizeEvent } from './event-summary';

type EventOf<T extends SeizureEventType> = Extract<SeizureEvent, { type: T }>;

/** One event of every type (a new type does not compile until it has one). */
const SAMPLES: { [T in SeizureEventType]: EventOf<T> } = {
  SeizureRecorded: { type: 'SeizureRecorded', data: seizureRecorded().data },
  ItemsValued: {
    type: 'ItemsValued',
    data: { valuations: [{ itemId: 'i-1', valuePaise: 200, previousValuePaise: 100 }], basis: 'b', reason: 'r' },
  },
  CustodyTransferInitiated: {
    type: 'CustodyTransferInitiated',
    data: { transferId: 't-1', itemIds: ['i-1'], from: custodians.flyingSquad, to: custodians.malkhana, sealNumbers: ['S-1'], reason: 'r' },
  },
  CustodyTransferAccepted: {
    type: 'CustodyTransferAccepted',
    data: {
      transferId: 't-1',
      itemIds: ['i-1'],
      from: custodians.flyingSquad,
      to: custodians.malkhana,
      seals: [{ number: 'S-1', condition: 'intact' }],
      countedQuantities: [{ itemId: 'i-1', quantity: 1 }],
      remarks: 'r',
    },
  },
  CustodyTransferRejected: {
    type: 'CustodyTransferRejected',
    data: { transferId: 't-1', itemIds: ['i-1'], from: custodians.flyingSquad, to: custodians.malkhana, reason: 'r' },
  },
  DiscrepancyRecorded: {
    type: 'DiscrepancyRecorded',
    data: { kind: 'count_differs', itemIds: ['i-1'], reference: 't-1', expected: 'i-1: 2 pieces', found: 'i-1: 1 pieces', remarks: 'r' },
  },
  CashDeposited: {
    type: 'CashDeposited',
    data: { challanNumber: 'CH-1', treasury: custodians.treasury, itemIds: ['i-1'], amountPaise: 100, depositedOn: '2024-04-20' },
  },
  DepositConfirmed: {
    type: 'DepositConfirmed',
    data: { challanNumber: 'CH-1', treasury: custodians.treasury, depositedAmountPaise: 100, confirmedAmountPaise: 100, remarks: 'r' },
  },
  ReferredToIncomeTax: {
    type: 'ReferredToIncomeTax',
    data: { referenceNumber: 'IT-1', office: 'IT Varanasi', cashTotalPaise: 1, remarks: 'r' },
  },
  IncomeTaxCleared: { type: 'IncomeTaxCleared', data: { referenceNumber: 'IT-1', clearanceNumber: 'CLR-1', remarks: 'r' } },
  FirRegistered: { type: 'FirRegistered', data: { firNumber: '1/2024', policeStation: 'Cantt', registeredOn: '2024-04-20', sections: [] } },
  ReleaseOrdered: {
    type: 'ReleaseOrdered',
    data: {
      orderNumber: 'O-1',
      authority: 'dgc',
      orderedOn: '2024-04-20',
      itemIds: ['i-1'],
      releaseTo: { name: 'n', idDocument: null },
      reasons: 'r',
    },
  },
  ItemsReleased: {
    type: 'ItemsReleased',
    data: {
      orderNumber: 'O-1',
      itemIds: ['i-1'],
      releasedTo: { name: 'n', idDocument: { type: 'aadhaar', number: '1' } },
      identityChecked: true,
      releasedBy: custodians.malkhana,
      remarks: 'r',
    },
  },
  ItemsDisposed: {
    type: 'ItemsDisposed',
    data: { orderNumber: 'O-2', authority: 'court', orderedOn: '2024-04-20', method: 'destroyed', itemIds: ['i-1'], remarks: 'r' },
  },
  AttachmentAdded: {
    type: 'AttachmentAdded',
    data: { sha256: 'ab'.repeat(32), sizeBytes: 10, mediaType: 'image/png', fileName: 'f.png', description: 'd' },
  },
  CorrectionRecorded: {
    type: 'CorrectionRecorded',
    data: { correctsEventId: 'e-1', correctsEventType: 'FirRegistered', whatWasWrong: 'w', correction: 'c', reason: 'r' },
  },
  FirClosed: {
    type: 'FirClosed',
    data: { firNumber: 'F-1', how: 'trial_ended', closedOn: '2024-06-10', court: 'CJM', reference: 'R-1', remarks: 'r' },
  },
  CourtProceedingsDisposedOf: {
    type: 'CourtProceedingsDisposedOf',
    data: { disposedOn: '2024-06-11', court: 'CJM', caseNumber: 'CC-1', remarks: 'r' },
  },
  IncomeTaxProceedingsClosed: {
    type: 'IncomeTaxProceedingsClosed',
    data: { referenceNumber: 'IT-1', closedOn: '2024-06-12', orderNumber: 'ITO-1', remarks: 'r' },
  },
  ReleaseDisputeRaised: {
    type: 'ReleaseDisputeRaised',
    data: { disputeId: 'd-1', raisedOn: '2024-06-13', itemIds: ['i-1'], grounds: 'g' },
  },
  ReleaseDisputeResolved: {
    type: 'ReleaseDisputeResolved',
    data: { disputeId: 'd-1', resolvedOn: '2024-06-14', outcome: 'upheld', reference: 'DGC-1', remarks: 'r' },
  },
  PersonalDataErased: {
    type: 'PersonalDataErased',
    data: {
      erasures: [{ subject: 'witness-1', fields: [{ eventId: 'e-1', fieldPath: '/witnesses/0' }], attachments: [] }],
      keptInClear: [],
      legalBasis: 'court_order',
      orderReference: 'DEO/VNS/DPDP/2024/7',
      courtOrder: { court: 'CJM Varanasi', orderNumber: 'Misc 12/2024', orderedOn: '2024-09-02' },
      overrode: null,
    },
  },
};

/** A value of the same shape with a marker in every string, so any text of it that leaks is found. */
function marked(value: unknown, marker: string): unknown {
  if (typeof value === 'string') return `${marker} Ramesh 98000 00000`;
  if (Array.isArray(value)) return value.map((v) => marked(v, marker));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marked(v, marker)]));
  return value;
}

describe('timeline summaries', () => {
  it.each(PERSONAL_DATA_ENTRIES.map((e) => [`${e.type}.${e.field}`, e] as const))('never quote %s', (_, entry) => {
    const sample = SAMPLES[entry.type];
    const marker = `PDMARK-${entry.type}-${entry.field}`;
    const data = { ...sample.data, [entry.field]: marked((sample.data as Record<string, unknown>)[entry.field], marker) };
    expect(summarizeEvent({ ...sample, data } as SeizureEvent)).not.toContain(marker);
  });

  it('still say what happened, without the free text', () => {
    expect(summarizeEvent(SAMPLES.CustodyTransferRejected)).toBe(
      'Handover t-1 rejected by Excise malkhana Varanasi (excise warehouse MK-VNS-EXCISE)',
    );
    expect(summarizeEvent(SAMPLES.CorrectionRecorded)).toBe('Correction to FirRegistered e-1');
    expect(summarizeEvent(SAMPLES.AttachmentAdded)).toBe('Attachment (image/png, 10 bytes) added, SHA-256 abababababab…');
    const scan = { ...SAMPLES.AttachmentAdded.data, personalDataOf: 'witness-2', contentKeyId: 'k-1' };
    expect(summarizeEvent({ type: 'AttachmentAdded', data: scan })).toBe(
      'Attachment (image/png, 10 bytes, personal data of witness-2) added, SHA-256 abababababab…',
    );
    expect(summarizeEvent(SAMPLES.DiscrepancyRecorded)).toContain('expected i-1: 2 pieces; found i-1: 1 pieces');
  });
});

// The timeline lines of the case events: references, dates and kinds, never their free text.

const DISPUTE = '6f1c2b7a-0d4e-4a8b-9c3d-1e2f3a4b5c6d';
const FREE_TEXT = 'रमेश चंद्र के भाई का दावा';

describe('timeline lines of the events that close proceedings', () => {
  const cases: Array<[SeizureEvent, string]> = [
    [
      {
        type: 'FirClosed',
        data: {
          firNumber: '112/2024',
          how: 'closure_report_accepted',
          closedOn: '2024-06-10',
          court: 'CJM',
          reference: 'CJM/901',
          remarks: FREE_TEXT,
        },
      },
      'FIR 112/2024 closed on 2024-06-10 (closure report accepted), CJM/901',
    ],
    [
      {
        type: 'CourtProceedingsDisposedOf',
        data: { disposedOn: '2024-06-11', court: 'CJM', caseNumber: 'CC 412/2024', remarks: FREE_TEXT },
      },
      'Court proceedings CC 412/2024 disposed of on 2024-06-11',
    ],
    [
      {
        type: 'IncomeTaxProceedingsClosed',
        data: { referenceNumber: 'IT-1', closedOn: '2024-06-12', orderNumber: 'ITO/77', remarks: FREE_TEXT },
      },
      'Income Tax proceedings under IT-1 closed on 2024-06-12 by order ITO/77',
    ],
    [
      { type: 'ReleaseDisputeRaised', data: { disputeId: DISPUTE, raisedOn: '2024-06-13', itemIds: ['item-cash'], grounds: FREE_TEXT } },
      `Release dispute ${DISPUTE} over item-cash raised on 2024-06-13`,
    ],
    [
      {
        type: 'ReleaseDisputeResolved',
        data: { disputeId: DISPUTE, resolvedOn: '2024-06-14', outcome: 'upheld', reference: 'DGC/40', remarks: FREE_TEXT },
      },
      `Release dispute ${DISPUTE} resolved on 2024-06-14 (upheld) under DGC/40`,
    ],
  ];

  it.each(cases.map(([event, line]) => [event.type, event, line] as const))(
    '%s reads as its line, without its free text',
    (_type, event, line) => {
      expect(summarizeEvent(event)).toBe(line);
      expect(summarizeEvent(event)).not.toContain('रमेश');
    },
  );
});
