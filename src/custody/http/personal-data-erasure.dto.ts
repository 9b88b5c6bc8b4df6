import { ArrayUnique, IsIn, Matches } from 'class-validator';
import { Code, Day, Line, List, OptionalNested } from '../../platform/http/field-rules';
import { DATA_SUBJECT_PATTERN } from '../../sealing/subjects';
import { ERASURE_BASES, type ErasureBasis } from '../values';

export class CourtOrderDto {
  @Line(1, 200) court!: string;
  @Code(1, 64) orderNumber!: string;
  /** The Indian day the order was made. */
  @Day() orderedOn!: string;
}

export class ErasePersonalDataRequest {
  /** Whose data: seized-from, witness-<n>, release-recipient-<n> or free-text (every reason and remark typed about the seizure). */
  @List(1, 64)
  @ArrayUnique({ message: 'subjects lists a subject twice' })
  @Matches(DATA_SUBJECT_PATTERN, {
    each: true,
    message: 'every entry of subjects must be seized-from, free-text, witness-<n> or release-recipient-<n> (n from 1)',
  })
  subjects!: string[];
  @IsIn(ERASURE_BASES, { message: `legalBasis must be one of ${ERASURE_BASES.join(', ')}` })
  legalBasis!: ErasureBasis;
  /** The order or request the erasure is made under, e.g. the district election officer's order number. */
  @Code(1, 64) orderReference!: string;
  /** Required when the data is still needed (a case open, an item held), when the basis is court_order, and when a court erases. */
  @OptionalNested(() => CourtOrderDto, 'the court order: { "court", "orderNumber", "orderedOn" }') courtOrder?: CourtOrderDto | null;
}
