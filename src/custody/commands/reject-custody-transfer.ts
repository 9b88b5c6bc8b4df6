import type { Cmd, CommandContext } from '../command-context';
import type { SeizureEvent } from '../events';
import { requireOpenTransferTo, requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type RejectCustodyTransfer = Cmd<'RejectCustodyTransfer', { transferId: string; reason: string }>;

/** The named recipient refuses the handover; custody stays with the sender and the items are free to move again. */
export function decideRejectCustodyTransfer(command: RejectCustodyTransfer, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const d = command.data;
  const transfer = requireOpenTransferTo(s, d.transferId, ctx.actor, 'reject');
  return [
    {
      type: 'CustodyTransferRejected',
      data: { transferId: transfer.transferId, itemIds: transfer.itemIds, from: transfer.from, to: transfer.to, reason: d.reason },
    },
  ];
}
