import { openCase } from '../cases';
import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireDateNotAfter, requireDateNotBefore, requireRecorded } from '../rules';
import type { SeizureState } from '../state';
import type { FirClosureWay } from '../values';

export type CloseFir = Cmd<'CloseFir', { how: FirClosureWay; closedOn: string; court: string; reference: string; remarks: string }>;

/** An officer records that the seizure's FIR ended, once: its closure report was accepted, or its trial ended. */
export function decideCloseFir(command: CloseFir, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (!ctx.actor.roles.includes('officer'))
    throw violation('not-an-officer', 'forbidden', 'only an officer records that an FIR was closed');
  if (!s.fir) throw violation('fir-not-registered', 'conflict', 'no FIR is registered for this seizure');
  if (!openCase(s.cases, 'fir')) throw violation('fir-already-closed', 'conflict', `FIR ${s.fir.firNumber} is already closed`);
  const d = command.data;
  requireDateNotAfter(d.closedOn, ctx.now, 'closedOn');
  requireDateNotBefore(d.closedOn, s.fir.registeredOn, 'closedOn', `FIR ${s.fir.firNumber} was registered`);
  return [{ type: 'FirClosed', data: { firNumber: s.fir.firNumber, ...d } }];
}
