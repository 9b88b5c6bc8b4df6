import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireDateNotAfter, requireItems, requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type RaiseReleaseDispute = Cmd<'RaiseReleaseDispute', { disputeId: string; raisedOn: string; itemIds: string[]; grounds: string }>;

/** The District Grievance Committee records a dispute over the release of items; nothing need be open before. */
export function decideRaiseReleaseDispute(command: RaiseReleaseDispute, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (!ctx.actor.roles.includes('committee')) {
    throw violation('not-the-committee', 'forbidden', 'only the District Grievance Committee records release disputes');
  }
  const d = command.data;
  if (s.cases.some((c) => c.kind === 'release_dispute' && c.reference === d.disputeId)) {
    throw violation('dispute-id-in-use', 'conflict', `dispute ${d.disputeId} is already recorded`, 'disputeId');
  }
  requireItems(s, d.itemIds);
  requireDateNotAfter(d.raisedOn, ctx.now, 'raisedOn');
  return [{ type: 'ReleaseDisputeRaised', data: d }];
}
