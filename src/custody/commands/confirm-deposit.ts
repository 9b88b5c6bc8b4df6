import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type ConfirmDeposit = Cmd<'ConfirmDeposit', { challanNumber: string; confirmedAmountPaise: number; remarks: string }>;

/** The receiving treasury confirms a deposit, by someone other than the depositor; an amount that differs is a discrepancy. */
export function decideConfirmDeposit(command: ConfirmDeposit, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const { actor } = ctx;
  const d = command.data;
  const deposit = s.deposits[d.challanNumber];
  if (!deposit) throw violation('unknown-deposit', 'not_found', `no deposit under challan ${d.challanNumber}`);
  if (deposit.status === 'confirmed')
    throw violation('deposit-already-confirmed', 'conflict', `challan ${d.challanNumber} is already confirmed`);
  if (actor.unit !== deposit.treasury.id) {
    throw violation('not-the-receiving-treasury', 'forbidden', `only treasury ${deposit.treasury.id} may confirm this deposit`);
  }
  if (actor.sub === deposit.depositedBy) {
    throw violation('confirmer-made-the-deposit', 'forbidden', 'a deposit is confirmed by someone other than the person who made it');
  }
  if (!Number.isSafeInteger(d.confirmedAmountPaise) || d.confirmedAmountPaise < 0) {
    throw violation(
      'not-a-non-negative-integer',
      'invalid',
      'confirmedAmountPaise must be a whole number of paise',
      'confirmedAmountPaise',
    );
  }
  const events: SeizureEvent[] = [
    {
      type: 'DepositConfirmed',
      data: {
        challanNumber: d.challanNumber,
        treasury: deposit.treasury,
        depositedAmountPaise: deposit.amountPaise,
        confirmedAmountPaise: d.confirmedAmountPaise,
        remarks: d.remarks,
      },
    },
  ];
  if (d.confirmedAmountPaise !== deposit.amountPaise) {
    events.push({
      type: 'DiscrepancyRecorded',
      data: {
        kind: 'deposit_amount_differs',
        itemIds: deposit.itemIds,
        reference: d.challanNumber,
        expected: `${deposit.amountPaise} paise deposited`,
        found: `${d.confirmedAmountPaise} paise confirmed by the treasury`,
        remarks: d.remarks,
      },
    });
  }
  return events;
}
