import { storedDistrictSpelling, storedStateSpelling } from '../../places/places';

/**
 * Place filters as the ledger stores places: `UP-187` finds what was recorded as `UP-VNS`, `OR`
 * what was recorded as `OD`. Non-strings are left for the filter's own declaration to refuse.
 */
export const asStoredDistrict = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? storedDistrictSpelling(value) : value;
export const asStoredState = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? storedStateSpelling(value) : value);
