import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireDateNotAfter, requireHeld, requireIncomeTaxClearanceForCash, requireItems, requireRecorded } from '../rules';
import type { SeizureState } from '../state';
import type { ReleaseAuthority } from '../values';

export type OrderRelease = Cmd<
  'OrderRelease',
  {
    orderNumber: string;
    orderedOn: string;
    itemIds: string[];
    releaseTo: { name: string; idDocument: { type: string; number: string } | null };
    reasons: string;
  }
>;

/** The District Grievance Committee or a court orders items released to a named person; after an FIR, a court only. */
export function decideOrderRelease(command: OrderRelease, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const { actor } = ctx;
  const d = command.data;
  const authority: ReleaseAuthority | null = actor.roles.includes('court') ? 'court' : actor.roles.includes('committee') ? 'dgc' : null;
  if (!authority)
    throw violation('not-a-release-authority', 'forbidden', 'only the District Grievance Committee or a court orders a release');
  if (s.fir && authority !== 'court') {
    throw violation('court-order-required', 'conflict', `FIR ${s.fir.firNumber} is registered: only a court may order release`);
  }
  if (s.releaseOrders[d.orderNumber])
    throw violation('order-already-recorded', 'conflict', `order ${d.orderNumber} is already recorded`, 'orderNumber');
  const items = requireItems(s, d.itemIds);
  requireHeld(items, 'released');
  requireIncomeTaxClearanceForCash(s, items);
  requireDateNotAfter(d.orderedOn, ctx.now, 'orderedOn');
  return [{ type: 'ReleaseOrdered', data: { ...d, authority } }];
}
