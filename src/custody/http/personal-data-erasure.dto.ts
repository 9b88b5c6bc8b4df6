import { ArrayUnique } from 'class-validator';
import { Code, Day, Doc, DocOptional, Line, List, OneOf, OptionalNested, Pattern } from '../../platform/http/field-rules';
import { DATA_SUBJECT_PATTERN } from '../../sealing/subjects';
import { ERASURE_BASES, type ErasureBasis } from '../values';

export class CourtOrderDto {
  @Doc('The court that made the order.', 'Chief Judicial Magistrate, Varanasi') @Line(1, 200) court!: string;
  @Doc('The number of the order.', 'Misc 12/2024') @Code(1, 64) orderNumber!: string;
  @Doc('The Indian date the order was made.', '2024-09-02') @Day() orderedOn!: string;
}

export class ErasePersonalDataRequest {
  @Doc(
    'Whose data: seized-from, witness-<n>, release-recipient-<n>, or free-text (every reason and remark typed about the seizure). A subject names a role in the seizure, never a person.',
    ['witness-1'],
  )
  @List(1, 64)
  @ArrayUnique({ message: 'subjects lists a subject twice' })
  @Pattern(
    DATA_SUBJECT_PATTERN,
    'every entry of subjects must be seized-from, free-text, witness-<n> or release-recipient-<n> (n from 1)',
    true,
  )
  subjects!: string[];
  @Doc('Why the data goes (DPDP Act 2023).', 'court_order')
  @OneOf(ERASURE_BASES, 'legalBasis')
  legalBasis!: ErasureBasis;
  @Doc("The order or request the erasure is made under, e.g. the district election officer's order number.", 'DEO/VNS/DPDP/2024/7')
  @Code(1, 64)
  orderReference!: string;
  @DocOptional(
    'The court order; required while the data is still needed (a case open, an item held), when the basis is court_order, and when a court erases.',
    { court: 'Chief Judicial Magistrate, Varanasi', orderNumber: 'Misc 12/2024', orderedOn: '2024-09-02' },
  )
  @OptionalNested(() => CourtOrderDto, 'the court order: { "court", "orderNumber", "orderedOn" }')
  courtOrder?: CourtOrderDto | null;
}
