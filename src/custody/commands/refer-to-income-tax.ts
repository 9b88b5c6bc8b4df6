import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { cashTotalPaise, requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type ReferToIncomeTax = Cmd<'ReferToIncomeTax', { referenceNumber: string; office: string; remarks: string }>;

/** A seizure goes to the Income Tax nodal officer once; the event records the cash it held then. */
export function decideReferToIncomeTax(command: ReferToIncomeTax, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (s.incomeTax.referenceNumber) {
    throw violation('already-referred-to-income-tax', 'conflict', `already referred under ${s.incomeTax.referenceNumber}`);
  }
  const d = command.data;
  return [
    {
      type: 'ReferredToIncomeTax',
      data: { referenceNumber: d.referenceNumber, office: d.office, cashTotalPaise: cashTotalPaise(s), remarks: d.remarks },
    },
  ];
}
