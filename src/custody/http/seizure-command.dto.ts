import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AGENCIES } from '../../shared/actor';
import { CATEGORIES, CUSTODIAN_KINDS, QUANTITY_UNITS, SEAL_CONDITIONS, type Category, type CustodianKind, type QuantityUnit, type SealCondition } from '../seizure';

/**
 * Request bodies of the seizure commands. Shape and bounds only: the rules of the domain are in
 * decide. Every string has a length limit and every list a size limit, so one request cannot
 * make the ledger hold unbounded data.
 */

const SHORT = 120;
const TEXT = 2000;
const MAX_PAISE = Number.MAX_SAFE_INTEGER;
const ID = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;
const ID_MESSAGE = 'must be 1 to 64 letters, digits, ".", "_", "-" or "/", starting with a letter or digit';
const STATE = /^[A-Z]{2,3}$/;
const DISTRICT = /^[A-Z]{2,3}-[A-Z0-9]{2,12}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const Money = () => (target: object, key: string) => {
  IsInt({ message: `${key} must be a whole number of paise` })(target, key);
  Min(1, { message: `${key} must be positive` })(target, key);
  Max(MAX_PAISE)(target, key);
};
const Day = () => (target: object, key: string) => {
  Matches(DAY, { message: `${key} must be a date as YYYY-MM-DD` })(target, key);
  IsDateString({ strict: true }, { message: `${key} must be a real calendar date` })(target, key);
};

export class IdDocumentDto {
  @IsString() @Length(1, 40) type!: string;
  @IsString() @Length(1, 40) number!: string;
}

export class LocationDto {
  @Matches(STATE, { message: 'state must be a state code such as UP' }) state!: string;
  @Matches(DISTRICT, { message: 'district must be a district code such as UP-VNS' }) district!: string;
  @IsInt() @Min(1) @Max(999) assemblyConstituency!: number;
  @IsInt() @Min(1) @Max(999) parliamentaryConstituency!: number;
  @IsLatitude() latitude!: number;
  @IsLongitude() longitude!: number;
  @IsString() @Length(1, 300) place!: string;
}

export class MagistrateDto {
  @IsString() @Length(1, SHORT) name!: string;
  @IsString() @Length(1, SHORT) designation!: string;
}

export class PersonSeizedFromDto {
  @IsString() @Length(1, SHORT) name!: string;
  @IsOptional() @ValidateNested() @Type(() => IdDocumentDto) idDocument?: IdDocumentDto;
  @IsString() @Length(1, 500) address!: string;
  @IsOptional() @Matches(/^\+?[0-9 -]{6,20}$/, { message: 'phone must be 6 to 20 digits' }) phone?: string;
}

export class WitnessDto {
  @IsString() @Length(1, SHORT) name!: string;
  @IsString() @Length(1, 500) address!: string;
}

export class MediaHashDto {
  @IsIn(['photo', 'video']) kind!: 'photo' | 'video';
  @Matches(SHA256, { message: 'sha256 must be 64 lower-case hex digits' }) sha256!: string;
}

export class ElectionDto {
  @Matches(ID, { message: `id ${ID_MESSAGE}` }) id!: string;
  @IsString() @Length(1, 200) name!: string;
  @Day() pollDate!: string;
}

export class SeizedItemDto {
  @Matches(ID, { message: `itemId ${ID_MESSAGE}` }) itemId!: string;
  @IsIn(CATEGORIES) category!: Category;
  @IsString() @Length(1, 500) description!: string;
  @IsInt({ message: 'quantity must be a whole number in the base unit (paise, ml, mg or pieces)' })
  @Min(1)
  @Max(MAX_PAISE)
  quantity!: number;
  @IsIn(QUANTITY_UNITS) unit!: QuantityUnit;
  @IsInt() @Min(1) @Max(100_000) packages!: number;
  @IsString({ each: true }) @Length(1, 40, { each: true }) @ArrayMaxSize(100) sealNumbers!: string[];
  @Money() estimatedValuePaise!: number;
}

export class RecordSeizureRequest {
  @IsUUID('all', { message: 'seizureId must be a UUID chosen by the device that records the seizure' }) seizureId!: string;
  @IsString() @Length(1, 64) memoNumber!: string;
  @IsISO8601({ strict: true, strictSeparator: true }) @Matches(/Z$/, { message: 'seizedAt must be UTC, ending in Z' }) seizedAt!: string;
  @ValidateNested() @Type(() => LocationDto) location!: LocationDto;
  @IsIn(AGENCIES) agency!: string;
  @IsString() @Length(1, SHORT) team!: string;
  @IsOptional() @ValidateNested() @Type(() => MagistrateDto) magistrate?: MagistrateDto;
  @ValidateNested() @Type(() => PersonSeizedFromDto) seizedFrom!: PersonSeizedFromDto;
  @IsOptional() @Matches(/^[A-Z0-9 -]{4,16}$/, { message: 'vehicleNumber must be 4 to 16 capital letters and digits' }) vehicleNumber?: string;
  @ValidateNested({ each: true }) @Type(() => WitnessDto) @ArrayMinSize(2) @ArrayMaxSize(20) witnesses!: WitnessDto[];
  @ValidateNested({ each: true }) @Type(() => MediaHashDto) @ArrayMaxSize(200) media!: MediaHashDto[];
  @ValidateNested() @Type(() => ElectionDto) election!: ElectionDto;
  @IsBoolean() linkedToCandidateOrParty!: boolean;
  @ValidateNested({ each: true }) @Type(() => SeizedItemDto) @ArrayMinSize(1) @ArrayMaxSize(200) items!: SeizedItemDto[];
}

export class ValuationDto {
  @Matches(ID, { message: `itemId ${ID_MESSAGE}` }) itemId!: string;
  @Money() valuePaise!: number;
}

export class ValueItemsRequest {
  @ValidateNested({ each: true }) @Type(() => ValuationDto) @ArrayMinSize(1) @ArrayMaxSize(200) valuations!: ValuationDto[];
  @IsString() @Length(1, 500) basis!: string;
  @IsString() @Length(1, TEXT) reason!: string;
}

export class CustodianDto {
  @IsIn(CUSTODIAN_KINDS) kind!: CustodianKind;
  @IsString() @Length(1, 128) id!: string;
  @IsString() @Length(1, 200) name!: string;
}

const ItemIds = () => (target: object, key: string) => {
  Matches(ID, { each: true, message: `each of ${key} ${ID_MESSAGE}` })(target, key);
  ArrayMinSize(1)(target, key);
  ArrayMaxSize(200)(target, key);
};
const Remarks = () => (target: object, key: string) => {
  IsString()(target, key);
  MaxLength(TEXT)(target, key);
};

export class InitiateTransferRequest {
  @IsUUID('all') transferId!: string;
  @ItemIds() itemIds!: string[];
  @ValidateNested() @Type(() => CustodianDto) to!: CustodianDto;
  @IsString({ each: true }) @Length(1, 40, { each: true }) @ArrayMaxSize(100) sealNumbers!: string[];
  @IsString() @Length(1, TEXT) reason!: string;
}

export class CountedQuantityDto {
  @Matches(ID, { message: `itemId ${ID_MESSAGE}` }) itemId!: string;
  @IsInt({ message: 'quantity must be a whole number in the base unit' }) @Min(0) @Max(MAX_PAISE) quantity!: number;
}

export class SealCheckDto {
  @IsString() @Length(1, 40) number!: string;
  @IsIn(SEAL_CONDITIONS) condition!: SealCondition;
}

export class AcceptTransferRequest {
  /** What was found of every seal handed over (and of any other seal found on the items). */
  @ValidateNested({ each: true }) @Type(() => SealCheckDto) @ArrayMaxSize(100) seals!: SealCheckDto[];
  @ValidateNested({ each: true }) @Type(() => CountedQuantityDto) @ArrayMinSize(1) @ArrayMaxSize(200) countedQuantities!: CountedQuantityDto[];
  @Remarks() remarks!: string;
}

export class RejectTransferRequest {
  @IsString() @Length(1, TEXT) reason!: string;
}

export class TreasuryRefDto {
  @IsString() @Length(1, 128) id!: string;
  @IsString() @Length(1, 200) name!: string;
}

export class DepositCashRequest {
  @Matches(ID, { message: `challanNumber ${ID_MESSAGE}` }) challanNumber!: string;
  @ValidateNested() @Type(() => TreasuryRefDto) treasury!: TreasuryRefDto;
  @ItemIds() itemIds!: string[];
  @Money() amountPaise!: number;
  @Day() depositedOn!: string;
}

export class ConfirmDepositRequest {
  @IsInt({ message: 'confirmedAmountPaise must be a whole number of paise' }) @Min(0) @Max(MAX_PAISE) confirmedAmountPaise!: number;
  @Remarks() remarks!: string;
}

export class ReferToIncomeTaxRequest {
  @IsString() @Length(1, 64) referenceNumber!: string;
  @IsString() @Length(1, 200) office!: string;
  @Remarks() remarks!: string;
}

export class ClearIncomeTaxRequest {
  @IsString() @Length(1, 64) clearanceNumber!: string;
  @Remarks() remarks!: string;
}

export class RegisterFirRequest {
  @IsString() @Length(1, 64) firNumber!: string;
  @IsString() @Length(1, 200) policeStation!: string;
  @Day() registeredOn!: string;
  @IsString({ each: true }) @Length(1, 100, { each: true }) @ArrayMaxSize(50) sections!: string[];
}

export class ReleaseToDto {
  @IsString() @Length(1, SHORT) name!: string;
  @IsOptional() @ValidateNested() @Type(() => IdDocumentDto) idDocument?: IdDocumentDto;
}

export class OrderReleaseRequest {
  @Matches(ID, { message: `orderNumber ${ID_MESSAGE}` }) orderNumber!: string;
  @Day() orderedOn!: string;
  @ItemIds() itemIds!: string[];
  @ValidateNested() @Type(() => ReleaseToDto) releaseTo!: ReleaseToDto;
  @IsString() @Length(20, 10_000, { message: 'reasons must be a written (speaking) order of 20 to 10000 characters' }) reasons!: string;
}

export class ReleasedToDto {
  @IsString() @Length(1, SHORT) name!: string;
  @ValidateNested() @Type(() => IdDocumentDto) idDocument!: IdDocumentDto;
}

export class ReleaseItemsRequest {
  @Matches(ID, { message: `orderNumber ${ID_MESSAGE}` }) orderNumber!: string;
  @ItemIds() itemIds!: string[];
  @ValidateNested() @Type(() => ReleasedToDto) releasedTo!: ReleasedToDto;
  @IsBoolean() identityChecked!: boolean;
  @Remarks() remarks!: string;
}

export class DisposeItemsRequest {
  @Matches(ID, { message: `orderNumber ${ID_MESSAGE}` }) orderNumber!: string;
  @Day() orderedOn!: string;
  @IsIn(['destroyed', 'confiscated', 'auctioned']) method!: 'destroyed' | 'confiscated' | 'auctioned';
  @ItemIds() itemIds!: string[];
  @Remarks() remarks!: string;
}

export class RecordCorrectionRequest {
  @IsUUID('all') correctsEventId!: string;
  @IsString() @Length(1, TEXT) whatWasWrong!: string;
  @IsString() @Length(1, TEXT) correction!: string;
  @IsString() @Length(1, TEXT) reason!: string;
}
