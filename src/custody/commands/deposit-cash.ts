import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import {
  positiveInteger,
  requireDateNotAfter,
  requireHeld,
  requireHeldBy,
  requireItems,
  requireNotInTransit,
  requireRecorded,
} from '../rules';
import type { SeizureState } from '../state';
import type { Custodian } from '../values';

export type DepositCash = Cmd<
  'DepositCash',
  { challanNumber: string; treasury: { id: string; name: string }; itemIds: string[]; amountPaise: number; depositedOn: string }
>;

/** The custodian of cash deposits it into a treasury under a challan; a challan amount that differs is a discrepancy. */
export function decideDepositCash(command: DepositCash, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const d = command.data;
  if (s.deposits[d.challanNumber])
    throw violation('challan-already-recorded', 'conflict', `challan ${d.challanNumber} is already recorded`, 'challanNumber');
  const items = requireItems(s, d.itemIds);
  requireHeld(items, 'deposited');
  for (const item of items) {
    if (item.category !== 'cash')
      throw violation('only-cash-can-be-deposited', 'conflict', `item ${item.itemId} is ${item.category}, not cash`, 'itemIds');
    if (item.depositChallan) {
      throw violation(
        'cash-already-deposited',
        'conflict',
        `item ${item.itemId} was already deposited under challan ${item.depositChallan}`,
        'itemIds',
      );
    }
  }
  requireNotInTransit(items, 'deposited');
  requireHeldBy(ctx.actor, items);
  if (!positiveInteger(d.amountPaise))
    throw violation('not-a-positive-integer', 'invalid', 'amountPaise must be a positive integer', 'amountPaise');
  requireDateNotAfter(d.depositedOn, ctx.now, 'depositedOn');
  const treasury: Custodian = { kind: 'treasury', id: d.treasury.id, name: d.treasury.name };
  const events: SeizureEvent[] = [
    {
      type: 'CashDeposited',
      data: { challanNumber: d.challanNumber, treasury, itemIds: d.itemIds, amountPaise: d.amountPaise, depositedOn: d.depositedOn },
    },
  ];
  const held = items.reduce((sum, i) => sum + i.quantity, 0);
  if (held !== d.amountPaise) {
    events.push({
      type: 'DiscrepancyRecorded',
      data: {
        kind: 'deposit_amount_differs',
        itemIds: d.itemIds,
        reference: d.challanNumber,
        expected: `${held} paise seized`,
        found: `${d.amountPaise} paise deposited`,
        remarks: 'the challan amount differs from the cash recorded in these items',
      },
    });
  }
  return events;
}
