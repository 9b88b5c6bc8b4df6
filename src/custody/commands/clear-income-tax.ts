import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type ClearIncomeTax = Cmd<'ClearIncomeTax', { clearanceNumber: string; remarks: string }>;

/** Only an Income Tax officer clears a seizure, once, after it was referred. */
export function decideClearIncomeTax(command: ClearIncomeTax, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (!s.incomeTax.referenceNumber)
    throw violation('not-referred-to-income-tax', 'conflict', 'the seizure has not been referred to Income Tax');
  if (s.incomeTax.cleared) throw violation('income-tax-already-cleared', 'conflict', 'Income Tax has already cleared this seizure');
  if (ctx.actor.agency !== 'income_tax') {
    throw violation('not-income-tax', 'forbidden', 'only an Income Tax officer may record an Income Tax clearance');
  }
  const d = command.data;
  return [
    {
      type: 'IncomeTaxCleared',
      data: { referenceNumber: s.incomeTax.referenceNumber, clearanceNumber: d.clearanceNumber, remarks: d.remarks },
    },
  ];
}
