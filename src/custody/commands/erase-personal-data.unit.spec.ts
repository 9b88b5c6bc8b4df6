import type { SeizureCommand } from '../command';
import type { PersonalDataErased } from '../events';
import type { RecordedSeizure } from '../state';
import { CASH, LIQUOR, NOW, actors, custodians } from '../../../test/support/custody-fixtures';
import { spec, as, type History, recorded, dgcOrder, fir, release } from './seizure-history.test-support';

// ErasePersonalData: who may erase whose data, and when; what the event names.

const erase = (overrides: Partial<Extract<SeizureCommand, { type: 'ErasePersonalData' }>['data']> = {}): SeizureCommand => ({
  type: 'ErasePersonalData',
  data: { subjects: ['witness-1'], legalBasis: 'purpose_served', orderReference: 'DEO/VNS/DPDP/2024/7', courtOrder: null, ...overrides },
});
const courtOrder = { court: 'CJM Varanasi', orderNumber: 'Misc 12/2024', orderedOn: '2024-04-20' };

// Events as written since sealing began: their personal-data fields are sealed, so they can be shredded.
const sealedRecorded = { ...recorded, eventId: 'rec', sealed: true };
const order = { ...dgcOrder([CASH]), eventId: 'ord', sealed: true };
const released = {
  type: 'ItemsReleased' as const,
  eventId: 'rel',
  sealed: true,
  data: {
    orderNumber: 'DGC-7',
    itemIds: [CASH],
    releasedTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-4321' } },
    identityChecked: true as const,
    releasedBy: custodians.flyingSquad,
    remarks: 'handed over at the treasury',
  },
};
const destroyed = {
  type: 'ItemsDisposed' as const,
  eventId: 'dis',
  sealed: true,
  data: {
    orderNumber: 'DDC/2024/3',
    authority: 'drug_disposal_committee' as const,
    orderedOn: '2024-04-20',
    method: 'destroyed' as const,
    itemIds: [LIQUOR],
    remarks: '',
  },
};
/** Everything released or destroyed, no case ever opened: the data's purpose is served. */
const settled: History = [sealedRecorded, order, released, destroyed];

const erasedData = (events: PersonalDataErased[]): PersonalDataErased['data'] => {
  expect(events).toHaveLength(1);
  expect(events[0].type).toBe('PersonalDataErased');
  return events[0].data;
};

describe('erasing personal data', () => {
  it('an admin erases one witness of a settled seizure, naming the sealed field of that witness only', () => {
    spec
      .given(settled)
      .when(erase(), as(actors.admin))
      .thenProduces((events) =>
        expect(erasedData(events as PersonalDataErased[])).toEqual({
          erasures: [{ subject: 'witness-1', fields: [{ eventId: 'rec', fieldPath: '/witnesses/0' }], attachments: [] }],
          keptInClear: [],
          legalBasis: 'purpose_served',
          orderReference: 'DEO/VNS/DPDP/2024/7',
          courtOrder: null,
          overrode: null,
        }),
      );
  });

  it('the release recipient is one subject across the order and the release; free text spans every event', () => {
    spec
      .given(settled)
      .when(erase({ subjects: ['release-recipient-1', 'free-text'] }), as(actors.admin))
      .thenProduces((events) => {
        const { erasures } = erasedData(events as PersonalDataErased[]);
        expect(erasures).toEqual([
          {
            subject: 'release-recipient-1',
            fields: [
              { eventId: 'ord', fieldPath: '/releaseTo' },
              { eventId: 'rel', fieldPath: '/releasedTo' },
            ],
            attachments: [],
          },
          {
            subject: 'free-text',
            fields: [
              { eventId: 'ord', fieldPath: '/reasons' },
              { eventId: 'rel', fieldPath: '/remarks' },
              { eventId: 'dis', fieldPath: '/remarks' },
            ],
            attachments: [],
          },
        ]);
      });
  });

  it('events written before sealing are named as kept in clear, not as shredded', () => {
    spec
      .given([{ ...recorded, eventId: 'old' }, { ...order, sealed: false }, released, destroyed] as History)
      .when(erase({ subjects: ['seized-from', 'witness-2'] }), as(actors.admin))
      .thenProduces((events) => {
        const data = erasedData(events as PersonalDataErased[]);
        expect(data.erasures).toEqual([
          { subject: 'seized-from', fields: [], attachments: [] },
          { subject: 'witness-2', fields: [], attachments: [] },
        ]);
        expect(data.keptInClear).toEqual([
          { eventId: 'old', fieldPath: '/seizedFrom', subject: 'seized-from' },
          { eventId: 'old', fieldPath: '/witnesses/1', subject: 'witness-2' },
        ]);
      });
  });

  it('erasing again what is erased records nothing; the state remembers the erasure', () => {
    const erasedBefore = { type: 'PersonalDataErased' as const, eventId: 'era', data: erasedDataOf(['witness-1']) };
    const { state } = spec.given([...settled, erasedBefore]);
    expect((state as RecordedSeizure).personalData['witness-1']).toEqual({
      sealed: [],
      inClear: [],
      attachments: [],
      lastErasure: expect.objectContaining({ eventId: 'era', orderReference: 'DEO/VNS/DPDP/2024/7' }),
    });
    spec
      .given([...settled, erasedBefore])
      .when(erase(), as(actors.admin))
      .then([]);
  });

  it('data written after an erasure is erased by the next one', () => {
    const erasedBefore = { type: 'PersonalDataErased' as const, eventId: 'era', data: erasedDataOf(['free-text']) };
    const correction = {
      type: 'CorrectionRecorded' as const,
      eventId: 'cor',
      sealed: true,
      data: { correctsEventId: 'rel', correctsEventType: 'ItemsReleased', whatWasWrong: 'w', correction: 'c', reason: 'r' },
    };
    spec
      .given([...settled, erasedBefore, correction])
      .when(erase({ subjects: ['free-text'] }), as(actors.admin))
      .thenProduces((events) =>
        expect(erasedData(events as PersonalDataErased[]).erasures[0].fields.map((f) => f.fieldPath)).toEqual([
          '/whatWasWrong',
          '/correction',
          '/reason',
        ]),
      );
  });

  it("a personal attachment goes with its subject's erasure: its content is encrypted under the same key", () => {
    const idScan = {
      type: 'AttachmentAdded' as const,
      eventId: 'att',
      sealed: true,
      data: {
        sha256: 'b'.repeat(64),
        sizeBytes: 1024,
        mediaType: 'image/jpeg',
        fileName: 'aadhaar.jpg',
        description: 'ID shown',
        personalDataOf: 'witness-3',
        contentKeyId: 'k-1',
      },
    };
    spec
      .given([...settled, idScan])
      .when(erase({ subjects: ['witness-3'] }), as(actors.admin))
      .thenProduces((events) =>
        expect(erasedData(events as PersonalDataErased[]).erasures).toEqual([
          { subject: 'witness-3', fields: [], attachments: ['b'.repeat(64)] },
        ]),
      );
  });

  it('a release under an order whose recipient was erased is refused, naming the rule', () => {
    // As loadSeizure reveals it once the recipient's key is gone: the marker stands in the value's place.
    const erasedRecipient = {
      erased: true,
      sealed: 'sha256:' + '0'.repeat(64),
      erasedAt: NOW,
      erasureEventId: 'era',
      orderReference: 'CJM/7',
    };
    const liquorOrder = dgcOrder([LIQUOR]);
    const orderWithErasedRecipient = { ...liquorOrder, data: { ...liquorOrder.data, releaseTo: erasedRecipient as never } };
    spec
      .given([sealedRecorded, orderWithErasedRecipient])
      .when(release([LIQUOR]), as(actors.flyingSquad))
      .thenRefuses('named-recipient-erased');
  });

  describe('while the data is still needed', () => {
    it('is refused under an open FIR, and while items are held, without a court order', () => {
      spec.given([sealedRecorded, fir]).when(erase(), as(actors.admin)).thenRefuses('personal-data-still-needed');
      spec.given([sealedRecorded]).when(erase(), as(actors.admin)).thenRefuses('personal-data-still-needed');
    });

    it('goes ahead under a court order, recording what the order overrode', () => {
      spec
        .given([sealedRecorded, fir])
        .when(erase({ legalBasis: 'court_order', courtOrder }), as(actors.admin))
        .thenProduces((events) => {
          const data = erasedData(events as PersonalDataErased[]);
          expect(data.courtOrder).toEqual(courtOrder);
          expect(data.overrode).toEqual({
            openCases: [
              { kind: 'fir', reference: '112/2024' },
              { kind: 'court', reference: null },
            ],
            heldItemIds: [CASH, LIQUOR],
          });
        });
    });

    it('the retention period cannot be the basis before it began', () => {
      spec
        .given([sealedRecorded, fir])
        .when(erase({ legalBasis: 'retention_period_ended', courtOrder }), as(actors.admin))
        .thenRefuses('retention-not-running');
    });
  });

  describe('who may erase', () => {
    it.each([
      ['an officer', actors.flyingSquad],
      ['a custodian', actors.malkhana],
      ['a treasury', actors.treasuryOfficer],
      ['the committee', actors.committee],
      ['an auditor', actors.auditor],
    ])('%s may not', (_, actor) => {
      spec.given(settled).when(erase(), as(actor)).thenRefuses('not-an-eraser');
    });

    it('a court may, by its own order only', () => {
      spec.given(settled).when(erase(), as(actors.court)).thenRefuses('court-order-details-required');
      spec
        .given(settled)
        .when(erase({ legalBasis: 'court_order', courtOrder }), as(actors.court))
        .thenProduces((events) => expect(events).toHaveLength(1));
    });

    it('a court order must be named when it is the basis, and cannot be dated in the future', () => {
      spec
        .given(settled)
        .when(erase({ legalBasis: 'court_order' }), as(actors.admin))
        .thenRefuses('court-order-details-required');
      spec
        .given(settled)
        .when(erase({ legalBasis: 'court_order', courtOrder: { ...courtOrder, orderedOn: '2024-04-21' } }), as(actors.admin))
        .thenRefuses('date-in-future');
    });
  });

  it('a subject the seizure holds no data of is refused, naming it', () => {
    spec
      .given(settled)
      .when(erase({ subjects: ['witness-3'] }), as(actors.admin))
      .thenRefuses('no-personal-data-of-subject');
    spec
      .given(settled)
      .when(erase({ subjects: ['release-recipient-2'] }), as(actors.admin))
      .thenRefuses('no-personal-data-of-subject');
  });
});

function erasedDataOf(subjects: string[]): PersonalDataErased['data'] {
  return {
    erasures: subjects.map((subject) => ({ subject, fields: [], attachments: [] })),
    keptInClear: [],
    legalBasis: 'purpose_served',
    orderReference: 'DEO/VNS/DPDP/2024/7',
    courtOrder: null,
    overrode: null,
  };
}
