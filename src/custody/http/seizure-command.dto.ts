import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { Code, Codes, Day, FreeText, Instant, Line, List, Nested, NestedList, OptionalNested } from '../../platform/http/field-rules';
import {
  CATEGORIES,
  CUSTODIAN_KINDS,
  DISPUTE_OUTCOMES,
  FIR_CLOSURE_WAYS,
  QUANTITY_UNITS,
  SEAL_CONDITIONS,
  type Category,
  type CustodianKind,
  type DisputeOutcome,
  type FirClosureWay,
  type QuantityUnit,
  type SealCondition,
} from '../values';

/**
 * Request bodies of the seizure commands: the one declaration of each body. Shape, types, bounds
 * and the text policy only: the rules of the domain (places, custody, dates against today) are in
 * decide. Every field is required unless marked optional; every string has a length limit and
 * every list a size limit, so one request cannot make the ledger hold unbounded data. Numbers are
 * JSON numbers: nothing is converted from a string.
 */

const SHORT = 120;
const TEXT = 2000;
const MAX_PAISE = Number.MAX_SAFE_INTEGER;
const ID = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;
const ID_MESSAGE = 'must be 1 to 64 letters, digits, ".", "_", "-" or "/", starting with a letter or digit';
const STATE = /^[A-Z]{2,3}$/;
const DISTRICT = /^[A-Z]{2,3}-[A-Z0-9]{2,12}$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** India's mainland and islands lie within these bounds (WGS 84). */
const INDIA = { latitude: [6, 37.2], longitude: [68, 97.5] } as const;

const Identifier = (what = 'id') => Matches(ID, { message: (a) => `${a.property} ${ID_MESSAGE}, e.g. ${what}` });
const WholeNumber = (min: number, max: number, what: string) => (target: object, key: string) => {
  IsInt({ message: `${key} must be a JSON number, a whole ${what}` })(target, key);
  Min(min, { message: `${key} must be at least ${min}` })(target, key);
  Max(max, { message: `${key} must be at most ${max}` })(target, key);
};
const Money = () => WholeNumber(1, MAX_PAISE, 'number of paise (Rs 1 = 100 paise), more than zero');
const Coordinate = (axis: 'latitude' | 'longitude') => (target: object, key: string) => {
  const [min, max] = INDIA[axis];
  const message = `${key} must be a JSON number of decimal degrees (WGS 84) between ${min} and ${max}, within India`;
  IsNumber({ allowNaN: false, allowInfinity: false }, { message })(target, key);
  Min(min, { message })(target, key);
  Max(max, { message })(target, key);
};
const ItemIds = () => (target: object, key: string) => {
  List(1, 200)(target, key);
  Matches(ID, { each: true, message: `each of ${key} ${ID_MESSAGE}` })(target, key);
};

export class IdDocumentDto {
  /** e.g. aadhaar, voter_id, passport, driving_licence, pan. */
  @Code(1, 40) type!: string;
  @Code(1, 40) number!: string;
}

export class LocationDto {
  @Matches(STATE, { message: 'state must be the code of a state or union territory, such as UP or MH' }) state!: string;
  @Matches(DISTRICT, { message: 'district must be a district code such as UP-VNS, or the state and the LGD district code such as UP-190' })
  district!: string;
  @WholeNumber(1, 999, 'number of the assembly constituency (e.g. 390)') assemblyConstituency!: number;
  @WholeNumber(1, 99, 'number of the parliamentary constituency (e.g. 77)') parliamentaryConstituency!: number;
  @Coordinate('latitude') latitude!: number;
  @Coordinate('longitude') longitude!: number;
  @Line(1, 300) place!: string;
}

export class MagistrateDto {
  @Line(1, SHORT) name!: string;
  @Line(1, SHORT) designation!: string;
}

export class PersonSeizedFromDto {
  @Line(1, SHORT) name!: string;
  @OptionalNested(() => IdDocumentDto, 'the identity document shown, { "type", "number" }') idDocument?: IdDocumentDto | null;
  @Line(1, 500) address!: string;
  @Matches(/^\+?[0-9][0-9 -]{5,19}$/, {
    message: 'phone must be 6 to 20 digits, optionally starting with +; spaces and hyphens are allowed',
  })
  @IsOptional()
  phone?: string | null;
}

export class WitnessDto {
  @Line(1, SHORT) name!: string;
  @Line(1, 500) address!: string;
}

export class MediaHashDto {
  @IsIn(['photo', 'video'], { message: 'kind must be photo or video' }) kind!: 'photo' | 'video';
  @Matches(SHA256, { message: 'sha256 must be the SHA-256 of the file as 64 lower-case hex digits' }) sha256!: string;
}

export class ElectionDto {
  @Identifier('GE-2024') id!: string;
  @Line(1, 200) name!: string;
  /** The poll date in the constituency. */
  @Day() pollDate!: string;
}

export class SeizedItemDto {
  @Identifier('item-1') itemId!: string;
  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` }) category!: Category;
  @Line(1, 500) description!: string;
  @WholeNumber(1, MAX_PAISE, 'number in the base unit (paise, ml, mg or pieces)') quantity!: number;
  @IsIn(QUANTITY_UNITS, { message: `unit must be one of ${QUANTITY_UNITS.join(', ')}` }) unit!: QuantityUnit;
  @WholeNumber(1, 100_000, 'number of packages') packages!: number;
  @Codes(1, 40, 100) sealNumbers!: string[];
  @Money() estimatedValuePaise!: number;
}

export class RecordSeizureRequest {
  @IsUUID('all', { message: 'seizureId must be a UUID chosen by the device that records the seizure' }) seizureId!: string;
  @Code(1, 64) memoNumber!: string;
  /** When the seizure was made, with its offset, e.g. 2024-04-19T11:00:00+05:30; stored as UTC. */
  @Instant() seizedAt!: string;
  @Nested(
    () => LocationDto,
    'where the seizure was made: state, district, assemblyConstituency, parliamentaryConstituency, latitude, longitude, place',
  )
  location!: LocationDto;
  @Line(1, SHORT) team!: string;
  @OptionalNested(() => MagistrateDto, 'the magistrate present, { "name", "designation" }') magistrate?: MagistrateDto | null;
  @Nested(() => PersonSeizedFromDto, 'the person seized from: name, address, and optionally idDocument and phone')
  seizedFrom!: PersonSeizedFromDto;
  @Matches(/^[A-Z0-9][A-Z0-9 -]{3,15}$/, {
    message: 'vehicleNumber must be 4 to 16 capital letters and digits, e.g. UP65AB1234; spaces and hyphens are allowed',
  })
  @IsOptional()
  vehicleNumber?: string | null;
  @NestedList(() => WitnessDto, 2, 20) witnesses!: WitnessDto[];
  @NestedList(() => MediaHashDto, 0, 200) media!: MediaHashDto[];
  @Nested(() => ElectionDto, "the election: id, name and the constituency's pollDate") election!: ElectionDto;
  @IsBoolean({ message: 'linkedToCandidateOrParty must be true or false' }) linkedToCandidateOrParty!: boolean;
  @NestedList(() => SeizedItemDto, 1, 200) items!: SeizedItemDto[];
}

export class ValuationDto {
  @Identifier('item-1') itemId!: string;
  @Money() valuePaise!: number;
}

export class ValueItemsRequest {
  @NestedList(() => ValuationDto, 1, 200) valuations!: ValuationDto[];
  @FreeText(1, 500) basis!: string;
  @FreeText(1, TEXT) reason!: string;
}

export class CustodianDto {
  @IsIn(CUSTODIAN_KINDS, { message: `kind must be one of ${CUSTODIAN_KINDS.join(', ')}` }) kind!: CustodianKind;
  @Code(1, 128) id!: string;
  @Line(1, 200) name!: string;
}

export class InitiateTransferRequest {
  @IsUUID('all', { message: 'transferId must be a UUID chosen by the client' }) transferId!: string;
  @ItemIds() itemIds!: string[];
  @Nested(() => CustodianDto, 'the recipient: kind, id and name') to!: CustodianDto;
  @Codes(1, 40, 100) sealNumbers!: string[];
  @FreeText(1, TEXT) reason!: string;
}

export class CountedQuantityDto {
  @Identifier('item-1') itemId!: string;
  @WholeNumber(0, MAX_PAISE, 'number in the base unit, zero or more') quantity!: number;
}

export class SealCheckDto {
  @Code(1, 40) number!: string;
  @IsIn(SEAL_CONDITIONS, { message: `condition must be one of ${SEAL_CONDITIONS.join(', ')}` }) condition!: SealCondition;
}

export class AcceptTransferRequest {
  /** What was found of every seal handed over (and of any other seal found on the items). */
  @NestedList(() => SealCheckDto, 0, 100) seals!: SealCheckDto[];
  @NestedList(() => CountedQuantityDto, 1, 200) countedQuantities!: CountedQuantityDto[];
  @FreeText(0, TEXT) remarks!: string;
}

export class RejectTransferRequest {
  @FreeText(1, TEXT) reason!: string;
}

export class TreasuryRefDto {
  @Code(1, 128) id!: string;
  @Line(1, 200) name!: string;
}

export class DepositCashRequest {
  @Identifier('CH-2024-0117') challanNumber!: string;
  @Nested(() => TreasuryRefDto, 'the treasury deposited in: id and name') treasury!: TreasuryRefDto;
  @ItemIds() itemIds!: string[];
  @Money() amountPaise!: number;
  @Day() depositedOn!: string;
}

export class ConfirmDepositRequest {
  @WholeNumber(0, MAX_PAISE, 'number of paise, zero or more') confirmedAmountPaise!: number;
  @FreeText(0, TEXT) remarks!: string;
}

export class ReferToIncomeTaxRequest {
  @Code(1, 64) referenceNumber!: string;
  @Line(1, 200) office!: string;
  @FreeText(0, TEXT) remarks!: string;
}

export class ClearIncomeTaxRequest {
  @Code(1, 64) clearanceNumber!: string;
  @FreeText(0, TEXT) remarks!: string;
}

export class RegisterFirRequest {
  @Code(1, 64) firNumber!: string;
  @Line(1, 200) policeStation!: string;
  @Day() registeredOn!: string;
  @Codes(1, 100, 50) sections!: string[];
}

export class ReleaseToDto {
  @Line(1, SHORT) name!: string;
  @OptionalNested(() => IdDocumentDto, 'the identity document the recipient must show, { "type", "number" }')
  idDocument?: IdDocumentDto | null;
}

export class OrderReleaseRequest {
  @Identifier('DGC/VNS/2024/31') orderNumber!: string;
  @Day() orderedOn!: string;
  @ItemIds() itemIds!: string[];
  @Nested(() => ReleaseToDto, 'whom to release to: name, and optionally the idDocument they must show') releaseTo!: ReleaseToDto;
  @FreeText(20, 10_000) reasons!: string;
}

export class ReleasedToDto {
  @Line(1, SHORT) name!: string;
  @Nested(() => IdDocumentDto, 'the identity document checked, { "type", "number" }') idDocument!: IdDocumentDto;
}

export class ReleaseItemsRequest {
  @Identifier('DGC/VNS/2024/31') orderNumber!: string;
  @ItemIds() itemIds!: string[];
  @Nested(() => ReleasedToDto, 'who received the items: name and the idDocument checked') releasedTo!: ReleasedToDto;
  @IsBoolean({ message: 'identityChecked must be true or false' }) identityChecked!: boolean;
  @FreeText(0, TEXT) remarks!: string;
}

export class DisposeItemsRequest {
  @Identifier('NDPS/VNS/2024/7') orderNumber!: string;
  @Day() orderedOn!: string;
  @IsIn(['destroyed', 'confiscated', 'auctioned'], { message: 'method must be destroyed, confiscated or auctioned' })
  method!: 'destroyed' | 'confiscated' | 'auctioned';
  @ItemIds() itemIds!: string[];
  @FreeText(0, TEXT) remarks!: string;
}

export class RecordCorrectionRequest {
  @IsUUID('all', { message: 'correctsEventId must be the id (a UUID) of the event being corrected' }) correctsEventId!: string;
  @FreeText(1, TEXT) whatWasWrong!: string;
  @FreeText(1, TEXT) correction!: string;
  @FreeText(1, TEXT) reason!: string;
}

export class CloseFirRequest {
  @IsIn(FIR_CLOSURE_WAYS, {
    message: `how must be one of ${FIR_CLOSURE_WAYS.join(', ')}: the magistrate accepted the closure report, or the trial ended`,
  })
  how!: FirClosureWay;
  /** The Indian day of the order or judgment that ended the FIR. */
  @Day() closedOn!: string;
  @Line(1, 200) court!: string;
  /** The number of that order or judgment. */
  @Code(1, 64) reference!: string;
  @FreeText(0, TEXT) remarks!: string;
}

export class DisposeOfCourtProceedingsRequest {
  @Day() disposedOn!: string;
  @Line(1, 200) court!: string;
  @Code(1, 64) caseNumber!: string;
  @FreeText(0, TEXT) remarks!: string;
}

export class CloseIncomeTaxProceedingsRequest {
  @Day() closedOn!: string;
  @Code(1, 64) orderNumber!: string;
  @FreeText(0, TEXT) remarks!: string;
}

export class RaiseReleaseDisputeRequest {
  @IsUUID('all', { message: 'disputeId must be a UUID chosen by the client' }) disputeId!: string;
  @Day() raisedOn!: string;
  /** The items whose release is disputed. */
  @ItemIds() itemIds!: string[];
  @FreeText(1, TEXT) grounds!: string;
}

export class ResolveReleaseDisputeRequest {
  @Day() resolvedOn!: string;
  @IsIn(DISPUTE_OUTCOMES, { message: `outcome must be one of ${DISPUTE_OUTCOMES.join(', ')}` }) outcome!: DisputeOutcome;
  /** The committee's order or minutes that resolved it. */
  @Code(1, 64) reference!: string;
  @FreeText(0, TEXT) remarks!: string;
}
