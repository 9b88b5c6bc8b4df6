import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireDateNotAfter, requireHeld, requireItems, requireNotInTransit, requireRecorded } from '../rules';
import type { SeizureState } from '../state';
import type { DisposalAuthority, DisposalMethod } from '../values';

export type DisposeItems = Cmd<
  'DisposeItems',
  { orderNumber: string; orderedOn: string; method: DisposalMethod; itemIds: string[]; remarks: string }
>;

/** A court orders disposal of anything; the drug disposal committee of drugs only, and not after an FIR. */
export function decideDisposeItems(command: DisposeItems, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const { actor } = ctx;
  const d = command.data;
  const authority: DisposalAuthority | null = actor.roles.includes('court')
    ? 'court'
    : actor.roles.includes('committee')
      ? 'drug_disposal_committee'
      : null;
  if (!authority)
    throw violation('disposal-order-required', 'forbidden', 'disposal needs an order of a court or the drug disposal committee');
  if (d.orderNumber.trim() === '')
    throw violation('disposal-order-required', 'invalid', 'disposal needs the number of its order', 'orderNumber');
  if (s.fir && authority !== 'court') {
    throw violation('court-order-required', 'conflict', `FIR ${s.fir.firNumber} is registered: only a court may order disposal`);
  }
  const items = requireItems(s, d.itemIds);
  if (authority === 'drug_disposal_committee') {
    const notDrugs = items.filter((i) => i.category !== 'drugs');
    if (notDrugs.length > 0) {
      throw violation(
        'court-order-required',
        'conflict',
        `the drug disposal committee disposes of drugs only; ${notDrugs.map((i) => i.itemId).join(', ')} need a court order`,
      );
    }
  }
  requireHeld(items, 'disposed of');
  requireNotInTransit(items, 'disposed of');
  requireDateNotAfter(d.orderedOn, ctx.now, 'orderedOn');
  return [{ type: 'ItemsDisposed', data: { ...d, authority } }];
}
