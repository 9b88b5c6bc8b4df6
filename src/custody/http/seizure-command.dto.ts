import {
  Code,
  Codes,
  Day,
  Doc,
  Flag,
  FreeText,
  Line,
  Nested,
  NestedList,
  OneOf,
  OptionalNested,
  Uuid,
} from '../../platform/http/field-rules';
import {
  CUSTODIAN_KINDS,
  DISPUTE_OUTCOMES,
  FIR_CLOSURE_WAYS,
  SEAL_CONDITIONS,
  type CustodianKind,
  type DisputeOutcome,
  type FirClosureWay,
  type SealCondition,
} from '../values';
import { IdDocumentDto, Identifier, ItemIds, MAX_PAISE, Money, SHORT, TEXT, WholeNumber } from './custody-fields';

export { IdDocumentDto } from './custody-fields';
export * from './seizure-record.dto';

/**
 * Request bodies of the seizure commands: the one declaration of each body. Shape, types, bounds
 * and the text policy only: the rules of the domain (places, custody, dates against today) are in
 * decide. Every field is required unless marked optional; every string has a length limit and
 * every list a size limit, so one request cannot make the ledger hold unbounded data. Numbers are
 * JSON numbers: nothing is converted from a string. Each field's example continues the story of
 * seizure-record.dto.ts.
 */

const ITEMS = (what: string) => Doc(`The items ${what}, by their itemId.`, ['item-cash']);

export class ValuationDto {
  @Doc('The item valued.', 'item-liquor') @Identifier('item-1') itemId!: string;
  @Doc('Its new value in paise (Rs 1 = 100 paise).', 5_120_000) @Money() valuePaise!: number;
}

export class ValueItemsRequest {
  @Doc('The new values, one per item.', undefined) @NestedList(() => ValuationDto, 1, 200) valuations!: ValuationDto[];
  @Doc('How the value was reached.', 'Excise rate list 2024-25: Rs 800 a bottle') @FreeText(1, 500) basis!: string;
  @Doc('Why the estimate changes.', 'Brand identified at the malkhana; memo estimate was provisional') @FreeText(1, TEXT) reason!: string;
}

export class CustodianDto {
  @Doc('What kind of custodian receives the items.', 'treasury') @OneOf(CUSTODIAN_KINDS, 'kind') kind!: CustodianKind;
  @Doc('Its unit id (a user id for kind person), as in the recipient’s token.', 'TR-VNS') @Code(1, 128) id!: string;
  @Doc('Its name.', 'District Treasury Varanasi') @Line(1, 200) name!: string;
}

export class InitiateTransferRequest {
  @Doc('The transfer, by a UUID the client chooses.', '0d6f8c1e-2b7a-4e59-9a43-7c1e5f0b2a61')
  @Uuid('transferId must be a UUID chosen by the client')
  transferId!: string;
  @ITEMS('handed over') @ItemIds() itemIds!: string[];
  @Nested(() => CustodianDto, 'the recipient: kind, id and name') to!: CustodianDto;
  @Doc('The seals on the packages handed over.', ['VNS-FS3-S-1001']) @Codes(1, 40, 100) sealNumbers!: string[];
  @Doc('Why the items are handed over.', 'Cash above Rs 50,000 to the district treasury') @FreeText(1, TEXT) reason!: string;
}

export class CountedQuantityDto {
  @Doc('The item counted.', 'item-cash') @Identifier('item-1') itemId!: string;
  @Doc('What the recipient counted, in the base unit, zero or more.', 125_000_000)
  @WholeNumber(0, MAX_PAISE, 'number in the base unit, zero or more')
  quantity!: number;
}

export class SealCheckDto {
  @Doc('The seal’s serial number.', 'VNS-FS3-S-1001') @Code(1, 40) number!: string;
  @Doc('What the recipient found.', 'intact') @OneOf(SEAL_CONDITIONS, 'condition') condition!: SealCondition;
}

export class AcceptTransferRequest {
  @Doc('What was found of every seal handed over (and of any other seal found on the items).', undefined)
  @NestedList(() => SealCheckDto, 0, 100)
  seals!: SealCheckDto[];
  @Doc('The quantities counted, one per item.', undefined)
  @NestedList(() => CountedQuantityDto, 1, 200)
  countedQuantities!: CountedQuantityDto[];
  @Doc('Remarks on the handover; may be empty.', 'Counted by machine, 2,500 notes of Rs 500') @FreeText(0, TEXT) remarks!: string;
}

export class RejectTransferRequest {
  @Doc('Why the handover is refused.', 'Seal VNS-FS3-S-1003 broken; bottles not counted in front of a witness')
  @FreeText(1, TEXT)
  reason!: string;
}

export class TreasuryRefDto {
  @Doc('The treasury’s unit id.', 'TR-VNS') @Code(1, 128) id!: string;
  @Doc('Its name.', 'District Treasury Varanasi') @Line(1, 200) name!: string;
}

export class DepositCashRequest {
  @Doc('The challan number of the deposit.', 'CH-2024-0117') @Identifier('CH-2024-0117') challanNumber!: string;
  @Nested(() => TreasuryRefDto, 'the treasury deposited in: id and name') treasury!: TreasuryRefDto;
  @ITEMS('deposited (cash only)') @ItemIds() itemIds!: string[];
  @Doc('The amount on the challan, in paise.', 125_000_000) @Money() amountPaise!: number;
  @Doc('The Indian date on the challan.', '2024-04-20') @Day() depositedOn!: string;
}

export class ConfirmDepositRequest {
  @Doc('What the treasury credited, in paise, zero or more.', 125_000_000)
  @WholeNumber(0, MAX_PAISE, 'number of paise, zero or more')
  confirmedAmountPaise!: number;
  @Doc('Remarks; may be empty.', 'Credited to 8443-00-103 Civil Deposits') @FreeText(0, TEXT) remarks!: string;
}

export class ReferToIncomeTaxRequest {
  @Doc('The reference number of the intimation.', 'IT/VNS/2024/31') @Code(1, 64) referenceNumber!: string;
  @Doc('The Income Tax office told.', 'Income Tax nodal officer, Varanasi') @Line(1, 200) office!: string;
  @Doc('Remarks; may be empty.', 'Cash above Rs 10 lakh, intimated the same day') @FreeText(0, TEXT) remarks!: string;
}

export class ClearIncomeTaxRequest {
  @Doc('The clearance number.', 'ITO-W2/VNS/CLR/55') @Code(1, 64) clearanceNumber!: string;
  @Doc('Remarks; may be empty.', 'Books of account produced; no objection to release') @FreeText(0, TEXT) remarks!: string;
}

export class RegisterFirRequest {
  @Doc('The FIR number.', '0112/2024') @Code(1, 64) firNumber!: string;
  @Doc('The police station it was registered at.', 'PS Cantt, Varanasi') @Line(1, 200) policeStation!: string;
  @Doc('The Indian date of registration.', '2024-04-20') @Day() registeredOn!: string;
  @Doc('The sections of law invoked.', ['60 UP Excise Act', '171H BNS']) @Codes(1, 100, 50) sections!: string[];
}

export class ReleaseToDto {
  @Doc('Whom the order releases to (personal data, sealed).', 'Ramesh Chandra') @Line(1, SHORT) name!: string;
  @OptionalNested(() => IdDocumentDto, 'the identity document the recipient must show, { "type", "number" }')
  idDocument?: IdDocumentDto | null;
}

export class OrderReleaseRequest {
  @Doc('The number of the release order.', 'DGC/VNS/2024/31') @Identifier('DGC/VNS/2024/31') orderNumber!: string;
  @Doc('The Indian date of the order.', '2024-04-22') @Day() orderedOn!: string;
  @ITEMS('released') @ItemIds() itemIds!: string[];
  @Nested(() => ReleaseToDto, 'whom to release to: name, and optionally the idDocument they must show') releaseTo!: ReleaseToDto;
  @Doc('The written (speaking) reasons, at least 20 characters.', 'No FIR; the cash is the day’s receipts of a registered trader')
  @FreeText(20, 10_000)
  reasons!: string;
}

export class ReleasedToDto {
  @Doc('Who received the items (personal data, sealed).', 'Ramesh Chandra') @Line(1, SHORT) name!: string;
  @Nested(() => IdDocumentDto, 'the identity document checked, { "type", "number" }') idDocument!: IdDocumentDto;
}

export class ReleaseItemsRequest {
  @Doc('The release order acted on.', 'DGC/VNS/2024/31') @Identifier('DGC/VNS/2024/31') orderNumber!: string;
  @ITEMS('released') @ItemIds() itemIds!: string[];
  @Nested(() => ReleasedToDto, 'who received the items: name and the idDocument checked') releasedTo!: ReleasedToDto;
  @Doc('Whether the identity document was checked.', true) @Flag('identityChecked must be true or false') identityChecked!: boolean;
  @Doc('Remarks; may be empty.', 'Released against a signed receipt') @FreeText(0, TEXT) remarks!: string;
}

export class DisposeItemsRequest {
  @Doc('The number of the disposal order.', 'CJM/VNS/2024/55') @Identifier('NDPS/VNS/2024/7') orderNumber!: string;
  @Doc('The Indian date of the order.', '2024-04-25') @Day() orderedOn!: string;
  @Doc('How the items were disposed of.', 'destroyed')
  @OneOf(['destroyed', 'confiscated', 'auctioned'], 'method')
  method!: 'destroyed' | 'confiscated' | 'auctioned';
  @ITEMS('disposed of') @ItemIds() itemIds!: string[];
  @Doc('Remarks; may be empty.', 'Destroyed before the magistrate') @FreeText(0, TEXT) remarks!: string;
}

export class RecordCorrectionRequest {
  @Doc('The event corrected, by its eventId (GET /seizures/{seizureId}/events).', '01900f6e-7a3c-7b1e-9c44-5d2a1e6f8b90')
  @Uuid('correctsEventId must be the id (a UUID) of the event being corrected')
  correctsEventId!: string;
  @Doc('What the event got wrong.', 'The place names the wrong check post') @FreeText(1, TEXT) whatWasWrong!: string;
  @Doc('What is right.', 'Check post 5, GT Road, Mohansarai') @FreeText(1, TEXT) correction!: string;
  @Doc('How the mistake came to light.', 'Noticed against the videography log') @FreeText(1, TEXT) reason!: string;
}

export class CloseFirRequest {
  @Doc('How the FIR ended: the magistrate accepted the closure report, or the trial ended.', 'closure_report_accepted')
  @OneOf(FIR_CLOSURE_WAYS, 'how', ': the magistrate accepted the closure report, or the trial ended')
  how!: FirClosureWay;
  @Doc('The Indian date of the order or judgment that ended the FIR.', '2024-09-16') @Day() closedOn!: string;
  @Doc('The court.', 'Chief Judicial Magistrate, Varanasi') @Line(1, 200) court!: string;
  @Doc('The number of that order or judgment.', 'CJM/VNS/2024/881') @Code(1, 64) reference!: string;
  @Doc('Remarks; may be empty.', 'Final report accepted; no offence made out') @FreeText(0, TEXT) remarks!: string;
}

export class DisposeOfCourtProceedingsRequest {
  @Doc('The Indian date the proceedings were disposed of.', '2024-09-16') @Day() disposedOn!: string;
  @Doc('The court.', 'Chief Judicial Magistrate, Varanasi') @Line(1, 200) court!: string;
  @Doc('The case number.', 'Case 4417/2024') @Code(1, 64) caseNumber!: string;
  @Doc('Remarks; may be empty.', 'Case property disposed of; file consigned') @FreeText(0, TEXT) remarks!: string;
}

export class CloseIncomeTaxProceedingsRequest {
  @Doc('The Indian date the proceedings closed.', '2024-10-03') @Day() closedOn!: string;
  @Doc('The number of the closing order.', 'ITO-W2/VNS/2024-25/143') @Code(1, 64) orderNumber!: string;
  @Doc('Remarks; may be empty.', 'Assessment completed; no addition') @FreeText(0, TEXT) remarks!: string;
}

export class RaiseReleaseDisputeRequest {
  @Doc('The dispute, by a UUID the client chooses.', '7c2e9a40-5f1b-4d3e-8a6c-2b9f0e1d4c57')
  @Uuid('disputeId must be a UUID chosen by the client')
  disputeId!: string;
  @Doc('The Indian date it was raised.', '2024-04-23') @Day() raisedOn!: string;
  @ITEMS('whose release is disputed') @ItemIds() itemIds!: string[];
  @Doc('The grounds.', 'A second claimant says the cash is his firm’s') @FreeText(1, TEXT) grounds!: string;
}

export class ResolveReleaseDisputeRequest {
  @Doc('The Indian date it was resolved.', '2024-04-26') @Day() resolvedOn!: string;
  @Doc('The outcome.', 'dismissed') @OneOf(DISPUTE_OUTCOMES, 'outcome') outcome!: DisputeOutcome;
  @Doc('The committee’s order or minutes that resolved it.', 'DGC/VNS/2024/M-12') @Code(1, 64) reference!: string;
  @Doc('Remarks; may be empty.', 'The claimant produced no books of account') @FreeText(0, TEXT) remarks!: string;
}
