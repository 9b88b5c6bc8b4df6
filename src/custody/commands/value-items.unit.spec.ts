import type { SeizureCommand } from '../command';
import { CASH, LIQUOR, actors, custodians } from '../../../test/support/custody-fixtures';
import { spec, as, recorded, dgcOrder } from './seizure-history.test-support';

// ValueItems: only the current custodian values held items; cash is worth its amount.

describe('ValueItems', () => {
  const value = (valuePaise: number, itemId = LIQUOR): SeizureCommand => ({
    type: 'ValueItems',
    data: { valuations: [{ itemId, valuePaise }], basis: 'excise MRP list', reason: 'official valuation' },
  });

  it('supersedes the estimate and keeps the previous value', () => {
    spec
      .given([recorded])
      .when(value(5_200_000), as(actors.flyingSquad))
      .then([
        {
          type: 'ItemsValued',
          data: {
            valuations: [{ itemId: LIQUOR, valuePaise: 5_200_000, previousValuePaise: 4_800_000 }],
            basis: 'excise MRP list',
            reason: 'official valuation',
          },
        },
      ]);
  });

  it('refuses unknown items, non-positive values, revaluing cash, and released items', () => {
    spec.given([recorded]).when(value(5, 'item-x'), as(actors.flyingSquad)).thenRefuses('unknown-item');
    spec.given([recorded]).when(value(-5), as(actors.flyingSquad)).thenRefuses('not-a-positive-integer');
    spec.given([recorded]).when(value(99, CASH), as(actors.flyingSquad)).thenRefuses('cash-value-differs');
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
    spec
      .given([recorded, dgcOrder([LIQUOR]), released])
      .when(value(5_200_000), as(actors.flyingSquad))
      .thenRefuses('item-no-longer-held');
  });

  it('refuses an unrecorded seizure and one out of scope', () => {
    spec.given([]).when(value(1), as(actors.flyingSquad)).thenRefuses('seizure-not-found');
    spec.given([recorded]).when(value(1), as(actors.outOfDistrict)).thenRefuses('out-of-scope');
  });
});

describe('trust-core rules', () => {
  const value = (itemId = LIQUOR): SeizureCommand => ({
    type: 'ValueItems',
    data: { valuations: [{ itemId, valuePaise: 5_000_000 }], basis: 'excise MRP list', reason: 'official valuation' },
  });
  const liquorToMalkhana = {
    type: 'CustodyTransferInitiated' as const,
    actorSub: actors.flyingSquad.sub,
    data: {
      transferId: 't-2',
      itemIds: [LIQUOR],
      from: custodians.flyingSquad,
      to: custodians.malkhana,
      sealNumbers: ['S-1002'],
      reason: 'case property',
    },
  };
  const malkhanaAccepted = {
    type: 'CustodyTransferAccepted' as const,
    actorSub: actors.malkhana.sub,
    data: {
      transferId: 't-2',
      itemIds: [LIQUOR],
      from: custodians.flyingSquad,
      to: custodians.malkhana,
      seals: [{ number: 'S-1002', condition: 'intact' as const }],
      countedQuantities: [{ itemId: LIQUOR, quantity: 48_000 }],
      remarks: '',
    },
  };

  it('only the current custodian values an item', () => {
    spec.given([recorded]).when(value(), as(actors.malkhana)).thenRefuses('not-current-custodian');
    spec.given([recorded, liquorToMalkhana, malkhanaAccepted]).when(value(), as(actors.flyingSquad)).thenRefuses('not-current-custodian');
    spec
      .given([recorded, liquorToMalkhana, malkhanaAccepted])
      .when(value(), as(actors.malkhana))
      .thenProduces((events) => {
        expect(events.map((e) => e.type)).toEqual(['ItemsValued']);
      });
  });
});
