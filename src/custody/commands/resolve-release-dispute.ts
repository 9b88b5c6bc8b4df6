import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireDateNotAfter, requireRecorded } from '../rules';
import type { SeizureState } from '../state';
import type { DisputeOutcome } from '../values';

export type ResolveReleaseDispute = Cmd<
  'ResolveReleaseDispute',
  { disputeId: string; resolvedOn: string; outcome: DisputeOutcome; reference: string; remarks: string }
>;

/** The District Grievance Committee resolves a dispute it recorded, once. */
export function decideResolveReleaseDispute(command: ResolveReleaseDispute, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (!ctx.actor.roles.includes('committee')) {
    throw violation('not-the-committee', 'forbidden', 'only the District Grievance Committee resolves release disputes');
  }
  const d = command.data;
  const dispute = s.cases.find((c) => c.kind === 'release_dispute' && c.reference === d.disputeId);
  if (!dispute) throw violation('unknown-dispute', 'not_found', `no dispute ${d.disputeId} is recorded for this seizure`);
  if (dispute.closed) throw violation('dispute-already-resolved', 'conflict', `dispute ${d.disputeId} is already resolved`);
  requireDateNotAfter(d.resolvedOn, ctx.now, 'resolvedOn');
  return [{ type: 'ReleaseDisputeResolved', data: d }];
}
