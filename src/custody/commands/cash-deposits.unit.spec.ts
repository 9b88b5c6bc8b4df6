import type { SeizureCommand } from '../command';
import type { CommandContext } from '../command-context';
import { LIQUOR, actors, custodians } from '../../../test/support/custody-fixtures';
import { spec, as, recorded, cashToTreasury, treasuryAccepted, deposited, deposit } from './seizure-history.test-support';

// DepositCash and ConfirmDeposit, and dates entered as Indian days.

describe('cash deposits', () => {
  const held = [recorded, cashToTreasury, treasuryAccepted];

  it('the custodian deposits cash; the receiving treasury confirms it, someone other than the depositor', () => {
    spec
      .given(held)
      .when(deposit(), as(actors.treasuryOfficer))
      .then([{ type: 'CashDeposited', data: deposited.data }]);
    spec
      .given([...held, deposited])
      .when(
        { type: 'ConfirmDeposit', data: { challanNumber: 'CH-88', confirmedAmountPaise: 125_000_000, remarks: 'credited' } },
        as(actors.treasuryAccountant),
      )
      .then([
        {
          type: 'DepositConfirmed',
          data: {
            challanNumber: 'CH-88',
            treasury: custodians.treasury,
            depositedAmountPaise: 125_000_000,
            confirmedAmountPaise: 125_000_000,
            remarks: 'credited',
          },
        },
      ]);
  });

  it('only cash, only by its custodian, only once, not while in transit', () => {
    spec
      .given(held)
      .when({ ...deposit(), data: { ...(deposit().data as object), itemIds: [LIQUOR] } } as SeizureCommand, as(actors.flyingSquad))
      .thenRefuses('only-cash-can-be-deposited');
    spec.given(held).when(deposit(), as(actors.flyingSquad)).thenRefuses('not-current-custodian');
    spec
      .given([...held, deposited])
      .when({ ...deposit(), data: { ...(deposit().data as object), challanNumber: 'CH-89' } } as SeizureCommand, as(actors.treasuryOfficer))
      .thenRefuses('cash-already-deposited');
    spec.given([recorded, cashToTreasury]).when(deposit(), as(actors.flyingSquad)).thenRefuses('item-in-transit');
  });

  it('records a discrepancy when the challan or the confirmation differs', () => {
    spec
      .given(held)
      .when(deposit(124_000_000), as(actors.treasuryOfficer))
      .thenProduces((events) => {
        expect(events.map((e) => e.type)).toEqual(['CashDeposited', 'DiscrepancyRecorded']);
        expect(events[1].data).toMatchObject({ kind: 'deposit_amount_differs', reference: 'CH-88' });
      });
    spec
      .given([...held, deposited])
      .when(
        { type: 'ConfirmDeposit', data: { challanNumber: 'CH-88', confirmedAmountPaise: 120_000_000, remarks: 'short' } },
        as(actors.treasuryAccountant),
      )
      .thenProduces((events) => {
        expect(events.map((e) => e.type)).toEqual(['DepositConfirmed', 'DiscrepancyRecorded']);
        expect(events[1].data).toMatchObject({
          kind: 'deposit_amount_differs',
          expected: '125000000 paise deposited',
          found: '120000000 paise confirmed by the treasury',
        });
      });
  });

  it('only the receiving treasury confirms, not the depositor, once', () => {
    const confirm: SeizureCommand = {
      type: 'ConfirmDeposit',
      data: { challanNumber: 'CH-88', confirmedAmountPaise: 125_000_000, remarks: '' },
    };
    spec
      .given([...held, deposited])
      .when(confirm, as(actors.otherTreasury))
      .thenRefuses('not-the-receiving-treasury');
    spec
      .given([...held, deposited])
      .when(confirm, as(actors.treasuryOfficer))
      .thenRefuses('confirmer-made-the-deposit');
    spec
      .given([
        ...held,
        deposited,
        {
          type: 'DepositConfirmed',
          data: { challanNumber: 'CH-88', treasury: custodians.treasury, depositedAmountPaise: 1, confirmedAmountPaise: 1, remarks: '' },
        },
      ])
      .when(confirm, as(actors.treasuryAccountant))
      .thenRefuses('deposit-already-confirmed');
    spec.given(held).when(confirm, as(actors.treasuryAccountant)).thenRefuses('unknown-deposit');
  });
});

describe('trust-core rules', () => {
  describe('dates are Indian days', () => {
    const depositOn = (depositedOn: string): SeizureCommand =>
      ({ ...deposit(), data: { ...(deposit().data as object), depositedOn } }) as SeizureCommand;
    const history = [recorded, cashToTreasury, treasuryAccepted];
    const at = (now: string): CommandContext => ({ actor: actors.treasuryOfficer, now });

    it.each([
      ['00:01 IST', '2024-04-19T18:31:00.000Z', '2024-04-20'],
      ['05:29 IST', '2024-04-19T23:59:00.000Z', '2024-04-20'],
      ['05:31 IST', '2024-04-20T00:01:00.000Z', '2024-04-20'],
      ['23:59 IST', '2024-04-20T18:29:00.000Z', '2024-04-20'],
    ])("accepts today's Indian date at %s", (_when, now, today) => {
      spec
        .given(history)
        .when(depositOn(today), at(now))
        .thenProduces((events) => expect(events[0].type).toBe('CashDeposited'));
    });

    it('refuses tomorrow in India, even where the UTC date is still today', () => {
      spec.given(history).when(depositOn('2024-04-21'), at('2024-04-20T18:29:00.000Z')).thenRefuses('date-in-future');
      spec.given(history).when(depositOn('2024-04-20'), at('2024-04-19T18:29:00.000Z')).thenRefuses('date-in-future');
    });
  });
});
