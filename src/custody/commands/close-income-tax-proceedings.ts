import { openCase } from '../cases';
import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireDateNotAfter, requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type CloseIncomeTaxProceedings = Cmd<'CloseIncomeTaxProceedings', { closedOn: string; orderNumber: string; remarks: string }>;

/**
 * An Income Tax officer records that the proceedings on a referred seizure are closed, once. A
 * clearance is not needed first, nor implied: clearance lets the cash go while the assessment may
 * go on, and proceedings may close with the cash kept.
 */
export function decideCloseIncomeTaxProceedings(
  command: CloseIncomeTaxProceedings,
  state: SeizureState,
  ctx: CommandContext,
): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  if (!ctx.actor.roles.includes('officer') || ctx.actor.agency !== 'income_tax') {
    throw violation('not-income-tax', 'forbidden', 'only an Income Tax officer may record that Income Tax proceedings closed');
  }
  const referenceNumber = s.incomeTax.referenceNumber;
  if (!referenceNumber) throw violation('not-referred-to-income-tax', 'conflict', 'the seizure has not been referred to Income Tax');
  if (!openCase(s.cases, 'income_tax')) {
    throw violation('income-tax-proceedings-already-closed', 'conflict', `the proceedings under ${referenceNumber} are already closed`);
  }
  requireDateNotAfter(command.data.closedOn, ctx.now, 'closedOn');
  return [{ type: 'IncomeTaxProceedingsClosed', data: { referenceNumber, ...command.data } }];
}
