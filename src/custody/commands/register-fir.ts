import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireDateNotAfter, requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type RegisterFir = Cmd<'RegisterFir', { firNumber: string; policeStation: string; registeredOn: string; sections: string[] }>;

/** One FIR per seizure; once registered, only a court orders release or disposal. */
export function decideRegisterFir(command: RegisterFir, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (s.fir) throw violation('fir-already-registered', 'conflict', `FIR ${s.fir.firNumber} is already registered`);
  requireDateNotAfter(command.data.registeredOn, ctx.now, 'registeredOn');
  return [{ type: 'FirRegistered', data: command.data }];
}
