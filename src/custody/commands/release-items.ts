import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import {
  requireHeld,
  requireHeldBy,
  requireIncomeTaxClearanceForCash,
  requireItems,
  requireNamedRecipient,
  requireNotInTransit,
  requireRecorded,
} from '../rules';
import type { SeizureState } from '../state';

export type ReleaseItems = Cmd<
  'ReleaseItems',
  {
    orderNumber: string;
    itemIds: string[];
    releasedTo: { name: string; idDocument: { type: string; number: string } };
    identityChecked: boolean;
    remarks: string;
  }
>;

/** The custodian hands items back under a recorded order, to the person it names, after checking their identity. */
export function decideReleaseItems(command: ReleaseItems, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const d = command.data;
  const order = s.releaseOrders[d.orderNumber];
  if (!order)
    throw violation('release-order-required', 'conflict', `no release order ${d.orderNumber} is recorded for this seizure`, 'orderNumber');
  const items = requireItems(s, d.itemIds);
  const notOrdered = d.itemIds.filter((id) => !order.itemIds.includes(id));
  if (notOrdered.length > 0)
    throw violation('item-not-in-order', 'conflict', `order ${d.orderNumber} does not release ${notOrdered.join(', ')}`, 'itemIds');
  requireHeld(items, 'released');
  requireNotInTransit(items, 'released');
  if (s.fir && order.authority !== 'court') {
    throw violation('court-order-required', 'conflict', `FIR ${s.fir.firNumber} is registered: only a court order releases`);
  }
  requireIncomeTaxClearanceForCash(s, items);
  if (!d.identityChecked)
    throw violation('identity-not-checked', 'invalid', "the recipient's identity must be checked before release", 'identityChecked');
  requireNamedRecipient(order, d.releasedTo);
  const releasedBy = requireHeldBy(ctx.actor, items);
  return [
    {
      type: 'ItemsReleased',
      data: {
        orderNumber: d.orderNumber,
        itemIds: d.itemIds,
        releasedTo: d.releasedTo,
        identityChecked: true,
        releasedBy,
        remarks: d.remarks,
      },
    },
  ];
}
