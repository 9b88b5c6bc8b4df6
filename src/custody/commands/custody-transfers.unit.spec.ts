import type { SeizureCommand } from '../command';
import { CASH, actors, custodians } from '../../../test/support/custody-fixtures';
import { spec, as, recorded, cashToTreasury, treasuryAccepted, transfer, accept } from './seizure-history.test-support';

// InitiateCustodyTransfer, AcceptCustodyTransfer, RejectCustodyTransfer: custody moves on acceptance only.

describe('custody transfers', () => {
  it('the current custodian starts a transfer; custody does not move yet', () => {
    spec
      .given([recorded])
      .when(transfer({ itemIds: [CASH], to: custodians.treasury, transferId: 't-1' }), as(actors.flyingSquadColleague))
      .thenProduces((events) => {
        expect(events).toEqual([
          {
            type: 'CustodyTransferInitiated',
            data: {
              transferId: 't-1',
              itemIds: [CASH],
              from: custodians.flyingSquad,
              to: custodians.treasury,
              sealNumbers: ['S-1002', 'S-1003'],
              reason: 'case property',
            },
          },
        ]);
      });
  });

  it('only the current custodian may start a transfer, one open transfer per item, not to itself', () => {
    spec.given([recorded]).when(transfer(), as(actors.otherTeam)).thenRefuses('not-current-custodian');
    spec
      .given([recorded, cashToTreasury])
      .when(transfer({ itemIds: [CASH] }), as(actors.flyingSquad))
      .thenRefuses('transfer-already-open');
    spec
      .given([recorded, cashToTreasury])
      .when(transfer({ transferId: 't-1' }), as(actors.flyingSquad))
      .thenRefuses('transfer-id-in-use');
    spec
      .given([recorded])
      .when(transfer({ to: custodians.flyingSquad }), as(actors.flyingSquad))
      .thenRefuses('transfer-to-self');
    // After acceptance the team no longer holds the cash.
    spec
      .given([recorded, cashToTreasury, treasuryAccepted])
      .when(transfer({ itemIds: [CASH] }), as(actors.flyingSquad))
      .thenRefuses('not-current-custodian');
  });

  it('the named recipient accepts with seals intact and counts that agree: no discrepancy', () => {
    spec
      .given([recorded, cashToTreasury])
      .when(accept(), as(actors.treasuryOfficer))
      .then([{ type: 'CustodyTransferAccepted', data: { ...treasuryAccepted.data, remarks: 'checked in the strong room' } }]);
  });

  it('a broken seal or a different count is accepted and recorded as a discrepancy', () => {
    spec
      .given([recorded, cashToTreasury])
      .when(accept({ seals: [{ number: 'S-1001', condition: 'broken' }], quantity: 124_950_000 }), as(actors.treasuryOfficer))
      .thenProduces((events) => {
        expect(events.map((e) => e.type)).toEqual(['CustodyTransferAccepted', 'DiscrepancyRecorded', 'DiscrepancyRecorded']);
        expect(events[1].data).toMatchObject({ kind: 'seals_broken', reference: 't-1', found: 'S-1001 broken' });
        expect(events[2].data).toMatchObject({
          kind: 'count_differs',
          itemIds: [CASH],
          expected: 'item-cash: 125000000 paise',
          found: 'item-cash: 124950000 paise',
        });
      });
    spec
      .given([recorded, cashToTreasury])
      .when(
        accept({
          seals: [
            { number: 'S-1001', condition: 'missing' },
            { number: 'S-9', condition: 'intact' },
          ],
        }),
        as(actors.treasuryOfficer),
      )
      .thenProduces((events) => {
        expect(events[1].data).toMatchObject({ kind: 'seals_broken', found: 'S-1001 missing; S-9 found but not handed over' });
      });
  });

  it('every seal handed over must be reported, once', () => {
    spec
      .given([recorded, cashToTreasury])
      .when(accept({ seals: [] }), as(actors.treasuryOfficer))
      .thenRefuses('report-every-seal');
    spec
      .given([recorded, cashToTreasury])
      .when(
        accept({
          seals: [
            { number: 'S-1001', condition: 'intact' },
            { number: 'S-1001', condition: 'broken' },
          ],
        }),
        as(actors.treasuryOfficer),
      )
      .thenRefuses('seal-listed-twice');
  });

  it('only the named recipient accepts or rejects, once', () => {
    spec.given([recorded, cashToTreasury]).when(accept(), as(actors.otherTreasury)).thenRefuses('not-the-recipient');
    spec.given([recorded, cashToTreasury]).when(accept(), as(actors.flyingSquad)).thenRefuses('not-the-recipient');
    spec
      .given([recorded, cashToTreasury])
      .when({ type: 'RejectCustodyTransfer', data: { transferId: 't-1', reason: 'x' } }, as(actors.otherTreasury))
      .thenRefuses('not-the-recipient');
    spec.given([recorded, cashToTreasury, treasuryAccepted]).when(accept(), as(actors.treasuryOfficer)).thenRefuses('transfer-not-open');
    spec
      .given([recorded])
      .when(accept({ transferId: 'nope' }), as(actors.treasuryOfficer))
      .thenRefuses('unknown-transfer');
  });

  it('every item of the transfer must be counted exactly once', () => {
    const noCount: SeizureCommand = {
      type: 'AcceptCustodyTransfer',
      data: { transferId: 't-1', seals: [{ number: 'S-1001', condition: 'intact' }], countedQuantities: [], remarks: '' },
    };
    spec.given([recorded, cashToTreasury]).when(noCount, as(actors.treasuryOfficer)).thenRefuses('count-every-item');
  });

  it('a rejection frees the items to be transferred again; custody stays with the sender', () => {
    const rejected = {
      type: 'CustodyTransferRejected' as const,
      data: { transferId: 't-1', itemIds: [CASH], from: custodians.flyingSquad, to: custodians.treasury, reason: 'seal torn' },
    };
    spec
      .given([recorded, cashToTreasury])
      .when({ type: 'RejectCustodyTransfer', data: { transferId: 't-1', reason: 'seal torn' } }, as(actors.treasuryOfficer))
      .then([rejected]);
    spec
      .given([recorded, cashToTreasury, rejected])
      .when(transfer({ itemIds: [CASH], to: custodians.treasury, transferId: 't-3' }), as(actors.flyingSquad))
      .thenProduces((events) => {
        expect(events[0].type).toBe('CustodyTransferInitiated');
      });
  });
});
