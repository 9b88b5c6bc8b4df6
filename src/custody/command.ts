import type { AcceptCustodyTransfer } from './commands/accept-custody-transfer';
import type { AddAttachment } from './commands/add-attachment';
import type { ClearIncomeTax } from './commands/clear-income-tax';
import type { CloseFir } from './commands/close-fir';
import type { CloseIncomeTaxProceedings } from './commands/close-income-tax-proceedings';
import type { ConfirmDeposit } from './commands/confirm-deposit';
import type { DepositCash } from './commands/deposit-cash';
import type { DisposeItems } from './commands/dispose-items';
import type { DisposeOfCourtProceedings } from './commands/dispose-of-court-proceedings';
import type { ErasePersonalData } from './commands/erase-personal-data';
import type { InitiateCustodyTransfer } from './commands/initiate-custody-transfer';
import type { OrderRelease } from './commands/order-release';
import type { RecordCorrection } from './commands/record-correction';
import type { RaiseReleaseDispute } from './commands/raise-release-dispute';
import type { RecordSeizure } from './commands/record-seizure';
import type { RegisterFir } from './commands/register-fir';
import type { RejectCustodyTransfer } from './commands/reject-custody-transfer';
import type { ReleaseItems } from './commands/release-items';
import type { ReferToIncomeTax } from './commands/refer-to-income-tax';
import type { ResolveReleaseDispute } from './commands/resolve-release-dispute';
import type { ValueItems } from './commands/value-items';

/** Every command the seizure aggregate takes; each is declared, with its decide, in commands/. */
export type SeizureCommand =
  | RecordSeizure
  | ValueItems
  | InitiateCustodyTransfer
  | AcceptCustodyTransfer
  | RejectCustodyTransfer
  | DepositCash
  | ConfirmDeposit
  | ReferToIncomeTax
  | ClearIncomeTax
  | RegisterFir
  | OrderRelease
  | ReleaseItems
  | DisposeItems
  | AddAttachment
  | RecordCorrection
  | CloseFir
  | DisposeOfCourtProceedings
  | CloseIncomeTaxProceedings
  | RaiseReleaseDispute
  | ResolveReleaseDispute
  | ErasePersonalData;
