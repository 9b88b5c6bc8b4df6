import type { SeizureCommand } from '../command';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand, seizureRecorded } from '../../../test/support/custody-fixtures';
import {
  spec,
  as,
  type History,
  recorded,
  referred,
  cleared,
  fir,
  dgcOrder,
  transfer,
  deposit,
  release,
  orderRelease,
  dispose,
} from './seizure-history.test-support';

// ReferToIncomeTax, ClearIncomeTax, RegisterFir, OrderRelease, ReleaseItems, DisposeItems: who may let items go, and when.

describe('income tax, FIR, release and disposal', () => {
  it('cash above Rs 10 lakh cannot be ordered released or released before Income Tax referral and clearance', () => {
    spec.given([recorded]).when(orderRelease(), as(actors.committee)).thenRefuses('income-tax-clearance-required');
    spec.given([recorded, referred]).when(orderRelease(), as(actors.committee)).thenRefuses('income-tax-clearance-required');
    spec
      .given([recorded, referred, cleared])
      .when(orderRelease(), as(actors.committee))
      .thenProduces((events) => {
        expect(events).toEqual([{ type: 'ReleaseOrdered', data: { ...(orderRelease().data as object), authority: 'dgc' } }]);
      });
    spec
      .given([recorded, dgcOrder([CASH])])
      .when(release(), as(actors.flyingSquad))
      .thenRefuses('income-tax-clearance-required');
  });

  it('cash at or below Rs 10 lakh needs no Income Tax clearance', () => {
    const small = seizureRecorded({
      items: [{ ...recordSeizureCommand().data.items[0], quantity: 100_000_000, estimatedValuePaise: 100_000_000 }],
    });
    spec
      .given([small])
      .when(orderRelease(), as(actors.committee))
      .thenProduces((events) => expect(events[0].type).toBe('ReleaseOrdered'));
  });

  it('referral happens once, and only Income Tax clears, after referral', () => {
    spec
      .given([recorded, referred])
      .when({ type: 'ReferToIncomeTax', data: { referenceNumber: 'IT-2', office: 'x', remarks: '' } }, as(actors.flyingSquad))
      .thenRefuses('already-referred-to-income-tax');
    spec
      .given([recorded])
      .when({ type: 'ClearIncomeTax', data: { clearanceNumber: 'C', remarks: '' } }, as(actors.incomeTax))
      .thenRefuses('not-referred-to-income-tax');
    spec
      .given([recorded, referred])
      .when({ type: 'ClearIncomeTax', data: { clearanceNumber: 'C', remarks: '' } }, as(actors.flyingSquad))
      .thenRefuses('not-income-tax');
    spec
      .given([recorded, referred])
      .when({ type: 'ClearIncomeTax', data: { clearanceNumber: 'C', remarks: '' } }, as(actors.incomeTax))
      .then([{ type: 'IncomeTaxCleared', data: { referenceNumber: 'IT-1', clearanceNumber: 'C', remarks: '' } }]);
    spec
      .given([])
      .when({ type: 'ReferToIncomeTax', data: { referenceNumber: 'IT-2', office: 'x', remarks: '' } }, as(actors.flyingSquad))
      .thenRefuses('seizure-not-found');
  });

  it('once an FIR is registered only a court orders release or disposal', () => {
    spec
      .given([recorded, fir])
      .when(orderRelease([LIQUOR]), as(actors.committee))
      .thenRefuses('court-order-required');
    spec
      .given([recorded, fir])
      .when(orderRelease([LIQUOR], 'CJM-1'), as(actors.court))
      .thenProduces((events) => expect(events[0].data).toMatchObject({ authority: 'court' }));
    spec.given([recorded, fir]).when(dispose(), as(actors.committee)).thenRefuses('court-order-required');
    spec
      .given([recorded, fir, dgcOrder([LIQUOR])])
      .when(release([LIQUOR]), as(actors.flyingSquad))
      .thenRefuses('court-order-required');
    spec
      .given([recorded, fir])
      .when({ type: 'RegisterFir', data: { ...fir.data, firNumber: '113/2024' } }, as(actors.police))
      .thenRefuses('fir-already-registered');
  });

  it('a court orders disposal; the drug disposal committee disposes of drugs only; nobody else disposes', () => {
    spec
      .given([recorded, fir])
      .when(dispose(), as(actors.court))
      .then([{ type: 'ItemsDisposed', data: { ...(dispose().data as object), authority: 'court' } as never }]);
    spec.given([recorded]).when(dispose(), as(actors.committee)).thenRefuses('court-order-required');
    spec.given([recorded]).when(dispose(), as(actors.flyingSquad)).thenRefuses('disposal-order-required');
    spec
      .given([recorded])
      .when({ ...dispose(), data: { ...(dispose().data as object), orderNumber: ' ' } } as SeizureCommand, as(actors.court))
      .thenRefuses('disposal-order-required');
  });

  it('release needs an order covering the items, the custodian, and a checked identity', () => {
    const order = dgcOrder([LIQUOR]);
    spec
      .given([recorded])
      .when(release([LIQUOR]), as(actors.flyingSquad))
      .thenRefuses('release-order-required');
    spec
      .given([recorded, order])
      .when(release([CASH]), as(actors.flyingSquad))
      .thenRefuses('item-not-in-order');
    spec
      .given([recorded, order])
      .when(release([LIQUOR]), as(actors.otherTeam))
      .thenRefuses('not-current-custodian');
    spec
      .given([recorded, order])
      .when(
        { ...release([LIQUOR]), data: { ...(release([LIQUOR]).data as object), identityChecked: false } } as SeizureCommand,
        as(actors.flyingSquad),
      )
      .thenRefuses('identity-not-checked');
    spec
      .given([recorded, order])
      .when(release([LIQUOR]), as(actors.flyingSquad))
      .thenProduces((events) => {
        expect(events).toEqual([
          expect.objectContaining({
            type: 'ItemsReleased',
            data: expect.objectContaining({ itemIds: [LIQUOR], releasedBy: custodians.flyingSquad, identityChecked: true }),
          }),
        ]);
      });
  });

  it('released or disposed items cannot move, be deposited, valued or released again', () => {
    const order = dgcOrder([LIQUOR]);
    const released = {
      type: 'ItemsReleased' as const,
      data: {
        orderNumber: 'DGC-7',
        itemIds: [LIQUOR],
        releasedTo: { name: 'x', idDocument: { type: 'a', number: '1' } },
        identityChecked: true as const,
        releasedBy: custodians.flyingSquad,
        remarks: '',
      },
    };
    const disposed = {
      type: 'ItemsDisposed' as const,
      data: {
        orderNumber: 'C-1',
        authority: 'court' as const,
        orderedOn: '2024-04-20',
        method: 'destroyed' as const,
        itemIds: [LIQUOR],
        remarks: '',
      },
    };
    for (const gone of [released, disposed] as History) {
      spec.given([recorded, order, gone]).when(transfer(), as(actors.flyingSquad)).thenRefuses('item-no-longer-held');
      spec
        .given([recorded, order, gone])
        .when(release([LIQUOR]), as(actors.flyingSquad))
        .thenRefuses('item-no-longer-held');
      spec
        .given([recorded, order, gone])
        .when(orderRelease([LIQUOR], 'DGC-8'), as(actors.committee))
        .thenRefuses('item-no-longer-held');
      spec.given([recorded, order, gone]).when(dispose(), as(actors.court)).thenRefuses('item-no-longer-held');
    }
    const cashGone = { ...disposed, data: { ...disposed.data, itemIds: [CASH] } };
    spec.given([recorded, cashGone]).when(deposit(), as(actors.flyingSquad)).thenRefuses('item-no-longer-held');
  });
});

describe('trust-core rules', () => {
  describe('a release goes to the person and the document the order names', () => {
    const namedOrder = {
      ...dgcOrder([LIQUOR]),
      data: { ...dgcOrder([LIQUOR]).data, releaseTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } } },
    };
    const releaseTo = (name: string, type: string, number: string): SeizureCommand => ({
      type: 'ReleaseItems',
      data: {
        orderNumber: 'DGC-7',
        itemIds: [LIQUOR],
        releasedTo: { name, idDocument: { type, number } },
        identityChecked: true,
        remarks: '',
      },
    });

    it('refuses someone the order does not name', () => {
      spec
        .given([recorded, namedOrder])
        .when(releaseTo('सुरेश कुमार', 'aadhaar', 'XXXX-XXXX-4321'), as(actors.flyingSquad))
        .thenRefuses('not-the-named-recipient');
    });

    it('refuses another kind of document, or another number, than the order names', () => {
      spec
        .given([recorded, namedOrder])
        .when(releaseTo('रमेश चंद्र', 'voter_id', 'XXXX-XXXX-4321'), as(actors.flyingSquad))
        .thenRefuses('not-the-named-document');
      spec
        .given([recorded, namedOrder])
        .when(releaseTo('रमेश चंद्र', 'aadhaar', 'XXXX-XXXX-9999'), as(actors.flyingSquad))
        .thenRefuses('not-the-named-document');
    });

    it('accepts the named person however spacing, case and hyphens are written', () => {
      spec
        .given([recorded, namedOrder])
        .when(releaseTo('  रमेश   चंद्र ', 'Aadhaar', 'xxxx xxxx 4321'), as(actors.flyingSquad))
        .thenProduces((events) => {
          expect(events.map((e) => e.type)).toEqual(['ItemsReleased']);
        });
    });
  });
});
