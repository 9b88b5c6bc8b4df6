import { IsOptional } from 'class-validator';
import { DISTRICT_CODE, PHONE_NUMBER, SHA256_HEX, STATE_CODE, VEHICLE_NUMBER } from '../../platform/http/field-patterns';
import {
  Code,
  Codes,
  Day,
  Doc,
  DocOptional,
  Flag,
  Instant,
  Line,
  Nested,
  NestedList,
  OneOf,
  OptionalNested,
  Pattern,
  Uuid,
} from '../../platform/http/field-rules';
import { CATEGORIES, QUANTITY_UNITS, type Category, type QuantityUnit } from '../values';
import { Coordinate, IdDocumentDto, Identifier, MAX_PAISE, Money, SHORT, WholeNumber } from './custody-fields';

/**
 * The body of `POST /seizures`: what the seizure memo (panchnama) records. The examples are one
 * flying squad's seizure at a check post in Varanasi, the same the README's examples record.
 */

export class LocationDto {
  @Doc('The state or union territory, by its code.', 'UP')
  @Pattern(STATE_CODE, 'state must be the code of a state or union territory, such as UP or MH')
  state!: string;

  @Doc('The district: its short code, or the state and its LGD code (UP-187); stored under the short code.', 'UP-VNS')
  @Pattern(DISTRICT_CODE, 'district must be a district code such as UP-VNS, or the state and the LGD district code such as UP-190')
  district!: string;

  @Doc('The assembly constituency, by its number in the state (Delimitation 2008).', 390)
  @WholeNumber(1, 999, 'number of the assembly constituency (e.g. 390)')
  assemblyConstituency!: number;

  @Doc('The parliamentary constituency containing it, by its number in the state.', 77)
  @WholeNumber(1, 99, 'number of the parliamentary constituency (e.g. 77)')
  parliamentaryConstituency!: number;

  @Doc('Latitude in decimal degrees (WGS 84), within India.', 25.2325)
  @Coordinate('latitude')
  latitude!: number;

  @Doc('Longitude in decimal degrees (WGS 84), within India.', 82.9372)
  @Coordinate('longitude')
  longitude!: number;

  @Doc('The place as people name it: check post, road, village.', 'Check post 4, GT Road, Mohansarai')
  @Line(1, 300)
  place!: string;
}

export class MagistrateDto {
  @Doc('The magistrate present at the seizure.', 'R. K. Mishra')
  @Line(1, SHORT)
  name!: string;

  @Doc('Their designation.', 'Executive Magistrate')
  @Line(1, SHORT)
  designation!: string;
}

export class PersonSeizedFromDto {
  @Doc('Name of the person seized from (personal data, sealed).', 'Ramesh Chandra')
  @Line(1, SHORT)
  name!: string;

  @OptionalNested(() => IdDocumentDto, 'the identity document shown, { "type", "number" }') idDocument?: IdDocumentDto | null;

  @Doc('Their address (personal data, sealed).', 'House 12, Sigra, Varanasi')
  @Line(1, 500)
  address!: string;

  @DocOptional('Their phone (personal data, sealed); absent or null when not given.', '+91 98390 12345')
  @Pattern(PHONE_NUMBER, 'phone must be 6 to 20 digits, optionally starting with +; spaces and hyphens are allowed')
  @IsOptional()
  phone?: string | null;
}

export class WitnessDto {
  @Doc('Name of an independent witness to the seizure (personal data, sealed).', 'Mohan Lal')
  @Line(1, SHORT)
  name!: string;

  @Doc('Their address (personal data, sealed).', 'Cantt, Varanasi')
  @Line(1, 500)
  address!: string;
}

export class MediaHashDto {
  @Doc('Whether the file is a photo or a video of the seizure.', 'video')
  @OneOf(['photo', 'video'], 'kind')
  kind!: 'photo' | 'video';

  @Doc(
    'SHA-256 of the file as taken on the device, 64 lower-case hex digits.',
    'c3d4bb09ea96badc384f811f258eb39b4cca70c82cb4214130c0f2c5cc929001',
  )
  @Pattern(SHA256_HEX, 'sha256 must be the SHA-256 of the file as 64 lower-case hex digits')
  sha256!: string;
}

export class ElectionDto {
  @Doc('The election, by its id.', 'GE-2024')
  @Identifier('GE-2024')
  id!: string;

  @Doc('Its name.', 'General Election to Lok Sabha 2024')
  @Line(1, 200)
  name!: string;

  @Doc("The poll date in the seizure's constituency, an Indian date.", '2024-06-01')
  @Day()
  pollDate!: string;
}

export class SeizedItemDto {
  @Doc('The item, by an id unique in the seizure.', 'item-cash')
  @Identifier('item-1')
  itemId!: string;

  @Doc('The Election Commission category.', 'cash')
  @OneOf(CATEGORIES, 'category')
  category!: Category;

  @Doc('What the item is, as the memo describes it.', 'Rs 500 notes, 2,500 pieces, in a black bag')
  @Line(1, 500)
  description!: string;

  @Doc('How much, a whole number in the base unit: paise for cash, ml, mg or pieces.', 125_000_000)
  @WholeNumber(1, MAX_PAISE, 'number in the base unit (paise, ml, mg or pieces)')
  quantity!: number;

  @Doc('The base unit of quantity: paise for cash, ml for liquor, mg or pieces for goods.', 'paise')
  @OneOf(QUANTITY_UNITS, 'unit')
  unit!: QuantityUnit;

  @Doc('How many packages the item is packed in.', 1)
  @WholeNumber(1, 100_000, 'number of packages')
  packages!: number;

  @Doc('The serial numbers of the seals put on its packages.', ['VNS-FS3-S-1001'])
  @Codes(1, 40, 100)
  sealNumbers!: string[];

  @Doc('Estimated value in paise (Rs 1 = 100 paise), a whole number above zero.', 125_000_000)
  @Money()
  estimatedValuePaise!: number;
}

export class RecordSeizureRequest {
  @Doc('The seizure, by a UUID the recording device chooses (so a retry cannot record it twice).', '5b0e7f1c-6a3e-4c1d-9d0e-2f4a8b6c1d3e')
  @Uuid('seizureId must be a UUID chosen by the device that records the seizure')
  seizureId!: string;

  @Doc('The number of the seizure memo (panchnama).', 'FS3/VNS/2024/117')
  @Code(1, 64)
  memoNumber!: string;

  @Doc('When the seizure was made, with its offset; stored as UTC.', '2024-04-19T11:00:00+05:30')
  @Instant()
  seizedAt!: string;

  @Nested(
    () => LocationDto,
    'where the seizure was made: state, district, assemblyConstituency, parliamentaryConstituency, latitude, longitude, place',
  )
  location!: LocationDto;

  @Doc('The team that seized, as it signs the memo.', 'Flying Squad 3, Varanasi Cantt')
  @Line(1, SHORT)
  team!: string;

  @OptionalNested(() => MagistrateDto, 'the magistrate present, { "name", "designation" }') magistrate?: MagistrateDto | null;

  @Nested(() => PersonSeizedFromDto, 'the person seized from: name, address, and optionally idDocument and phone')
  seizedFrom!: PersonSeizedFromDto;

  @DocOptional('The vehicle searched, by its registration number; absent or null when none.', 'UP65AB1234')
  @Pattern(VEHICLE_NUMBER, 'vehicleNumber must be 4 to 16 capital letters and digits, e.g. UP65AB1234; spaces and hyphens are allowed')
  @IsOptional()
  vehicleNumber?: string | null;

  @Doc('At least two independent witnesses (personal data, sealed).', [
    { name: 'Mohan Lal', address: 'Cantt, Varanasi' },
    { name: 'Shabana Bano', address: 'Lahurabir, Varanasi' },
  ])
  @NestedList(() => WitnessDto, 2, 20)
  witnesses!: WitnessDto[];

  @Doc('SHA-256 hashes of the photos and videos taken at the seizure (the files can be attached later).', undefined)
  @NestedList(() => MediaHashDto, 0, 200)
  media!: MediaHashDto[];

  @Nested(() => ElectionDto, "the election: id, name and the constituency's pollDate") election!: ElectionDto;

  @Doc('Whether the seizure is linked to a candidate, party or campaign (then no DGC release).', false)
  @Flag('linkedToCandidateOrParty must be true or false')
  linkedToCandidateOrParty!: boolean;

  @Doc('What was seized, one entry per item.', undefined)
  @NestedList(() => SeizedItemDto, 1, 200)
  items!: SeizedItemDto[];
}
