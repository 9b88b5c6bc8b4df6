import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireHeld, requireHeldBy, requireItems, requireRecorded } from '../rules';
import type { SeizureState } from '../state';
import type { Custodian } from '../values';

export type InitiateCustodyTransfer = Cmd<
  'InitiateCustodyTransfer',
  { transferId: string; itemIds: string[]; to: Custodian; sealNumbers: string[]; reason: string }
>;

/** The current custodian hands items over; custody moves only when the recipient accepts. */
export function decideInitiateCustodyTransfer(command: InitiateCustodyTransfer, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const d = command.data;
  if (s.transfers[d.transferId]) throw violation('transfer-id-in-use', 'conflict', `transfer ${d.transferId} already exists`, 'transferId');
  const items = requireItems(s, d.itemIds);
  requireHeld(items, 'moved');
  for (const item of items) {
    if (item.openTransferId) {
      throw violation(
        'transfer-already-open',
        'conflict',
        `item ${item.itemId} is already in open transfer ${item.openTransferId}`,
        'itemIds',
      );
    }
  }
  const from = requireHeldBy(ctx.actor, items);
  if (from.kind === d.to.kind && from.id === d.to.id) {
    throw violation('transfer-to-self', 'invalid', 'the recipient already holds these items', 'to');
  }
  return [
    {
      type: 'CustodyTransferInitiated',
      data: { transferId: d.transferId, itemIds: d.itemIds, from, to: d.to, sealNumbers: d.sealNumbers, reason: d.reason },
    },
  ];
}
