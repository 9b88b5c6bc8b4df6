import { openCase } from '../cases';
import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireDateNotAfter, requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type DisposeOfCourtProceedings = Cmd<
  'DisposeOfCourtProceedings',
  { disposedOn: string; court: string; caseNumber: string; remarks: string }
>;

/** The court records that its proceedings on the seizure are disposed of; there must be some open (cases.ts says what opens them). */
export function decideDisposeOfCourtProceedings(
  command: DisposeOfCourtProceedings,
  state: SeizureState,
  ctx: CommandContext,
): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (!ctx.actor.roles.includes('court'))
    throw violation('not-a-court', 'forbidden', 'only a court records that its proceedings are disposed of');
  if (!openCase(s.cases, 'court')) {
    throw violation(
      'no-court-proceedings-open',
      'conflict',
      'no court proceedings are open on this seizure: no FIR and no open court order',
    );
  }
  requireDateNotAfter(command.data.disposedOn, ctx.now, 'disposedOn');
  return [{ type: 'CourtProceedingsDisposedOf', data: command.data }];
}
