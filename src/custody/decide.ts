import type { SeizureCommand } from './command';
import type { CommandContext } from './command-context';
import { decideAcceptCustodyTransfer } from './commands/accept-custody-transfer';
import { decideAddAttachment } from './commands/add-attachment';
import { decideClearIncomeTax } from './commands/clear-income-tax';
import { decideCloseFir } from './commands/close-fir';
import { decideCloseIncomeTaxProceedings } from './commands/close-income-tax-proceedings';
import { decideConfirmDeposit } from './commands/confirm-deposit';
import { decideDepositCash } from './commands/deposit-cash';
import { decideDisposeItems } from './commands/dispose-items';
import { decideDisposeOfCourtProceedings } from './commands/dispose-of-court-proceedings';
import { decideErasePersonalData } from './commands/erase-personal-data';
import { decideInitiateCustodyTransfer } from './commands/initiate-custody-transfer';
import { decideOrderRelease } from './commands/order-release';
import { decideRaiseReleaseDispute } from './commands/raise-release-dispute';
import { decideRecordCorrection } from './commands/record-correction';
import { decideRecordSeizure } from './commands/record-seizure';
import { decideReferToIncomeTax } from './commands/refer-to-income-tax';
import { decideRegisterFir } from './commands/register-fir';
import { decideRejectCustodyTransfer } from './commands/reject-custody-transfer';
import { decideReleaseItems } from './commands/release-items';
import { decideResolveReleaseDispute } from './commands/resolve-release-dispute';
import { decideValueItems } from './commands/value-items';
import { violation } from './errors';
import type { SeizureEvent } from './events';
import type { SeizureState } from './state';

/**
 * decide for the seizure aggregate. Pure: it gets the state folded from the stream, the command
 * and who is acting at what time, and returns the events to append or throws a named rule
 * violation. Roles are checked at the edge; who-may-do-what-to-this-seizure in each command.
 */
export function decide(command: SeizureCommand, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  switch (command.type) {
    case 'RecordSeizure':
      return decideRecordSeizure(command, state, ctx);
    case 'ValueItems':
      return decideValueItems(command, state, ctx);
    case 'InitiateCustodyTransfer':
      return decideInitiateCustodyTransfer(command, state, ctx);
    case 'AcceptCustodyTransfer':
      return decideAcceptCustodyTransfer(command, state, ctx);
    case 'RejectCustodyTransfer':
      return decideRejectCustodyTransfer(command, state, ctx);
    case 'DepositCash':
      return decideDepositCash(command, state, ctx);
    case 'ConfirmDeposit':
      return decideConfirmDeposit(command, state, ctx);
    case 'ReferToIncomeTax':
      return decideReferToIncomeTax(command, state, ctx);
    case 'ClearIncomeTax':
      return decideClearIncomeTax(command, state, ctx);
    case 'RegisterFir':
      return decideRegisterFir(command, state, ctx);
    case 'OrderRelease':
      return decideOrderRelease(command, state, ctx);
    case 'ReleaseItems':
      return decideReleaseItems(command, state, ctx);
    case 'DisposeItems':
      return decideDisposeItems(command, state, ctx);
    case 'AddAttachment':
      return decideAddAttachment(command, state, ctx);
    case 'RecordCorrection':
      return decideRecordCorrection(command, state, ctx);
    case 'CloseFir':
      return decideCloseFir(command, state, ctx);
    case 'DisposeOfCourtProceedings':
      return decideDisposeOfCourtProceedings(command, state, ctx);
    case 'CloseIncomeTaxProceedings':
      return decideCloseIncomeTaxProceedings(command, state, ctx);
    case 'RaiseReleaseDispute':
      return decideRaiseReleaseDispute(command, state, ctx);
    case 'ResolveReleaseDispute':
      return decideResolveReleaseDispute(command, state, ctx);
    case 'ErasePersonalData':
      return decideErasePersonalData(command, state, ctx);
    default: {
      const unknown: never = command;
      throw violation('unknown-command', 'invalid', `unknown command ${(unknown as { type: string }).type}`);
    }
  }
}
