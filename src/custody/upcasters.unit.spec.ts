import { CASH, custodians } from '../../test/support/custody-fixtures';
import { EVENT_SCHEMA_VERSIONS, UnknownEventVersionError, upcastSeizureEvent, type CustodyTransferAcceptedV1 } from './upcasters';

const v1: CustodyTransferAcceptedV1 = {
  transferId: 't-1',
  itemIds: [CASH],
  from: custodians.flyingSquad,
  to: custodians.treasury,
  sealsIntact: false,
  sealNumbersFound: ['S-1001', 'S-1002'],
  countedQuantities: [{ itemId: CASH, quantity: 100 }],
  remarks: 'one bag torn',
};

describe('upcastSeizureEvent', () => {
  it('turns a v1 acceptance into v2, giving each seal found the single verdict v1 recorded', () => {
    expect(upcastSeizureEvent('CustodyTransferAccepted', v1 as never, 1)).toEqual({
      type: 'CustodyTransferAccepted',
      data: {
        transferId: 't-1',
        itemIds: [CASH],
        from: custodians.flyingSquad,
        to: custodians.treasury,
        seals: [
          { number: 'S-1001', condition: 'broken' },
          { number: 'S-1002', condition: 'broken' },
        ],
        countedQuantities: [{ itemId: CASH, quantity: 100 }],
        remarks: 'one bag torn',
      },
    });
    expect(upcastSeizureEvent('CustodyTransferAccepted', { ...v1, sealsIntact: true } as never, 1).data).toMatchObject({
      seals: [
        { number: 'S-1001', condition: 'intact' },
        { number: 'S-1002', condition: 'intact' },
      ],
    });
  });

  it('passes current versions through unchanged', () => {
    const v2 = { ...v1, sealsIntact: undefined, sealNumbersFound: undefined, seals: [{ number: 'S-1', condition: 'missing' }] };
    expect(upcastSeizureEvent('CustodyTransferAccepted', v2 as never, 2).data).toBe(v2);
    const fir = { firNumber: '1', policeStation: 'p', registeredOn: '2024-04-20', sections: [] };
    expect(upcastSeizureEvent('FirRegistered', fir, 1)).toEqual({ type: 'FirRegistered', data: fir });
  });

  it('refuses versions from the future, unknown types and nonsense versions', () => {
    expect(() => upcastSeizureEvent('CustodyTransferAccepted', {}, 3)).toThrow(UnknownEventVersionError);
    expect(() => upcastSeizureEvent('SomethingHappened', {}, 1)).toThrow(UnknownEventVersionError);
    expect(() => upcastSeizureEvent('FirRegistered', {}, 0)).toThrow(UnknownEventVersionError);
    expect(EVENT_SCHEMA_VERSIONS.CustodyTransferAccepted).toBe(2);
    expect(EVENT_SCHEMA_VERSIONS.SeizureRecorded).toBe(1);
  });
});
