import type { JsonValue } from '../../shared/json';
import { SUBJECTS, type DataSubject } from '../../sealing/subjects';
import { PERSONAL_DATA, personalDataFieldsOf, type PersonalDataKind } from '../personal-data';
import type { SeizureEventType } from '../events';

/** One field of a new event to seal: where it is in `data` (a JSON Pointer) and whose key seals it. */
export interface FieldToSeal {
  fieldPath: string;
  subject: DataSubject;
}

/** What the subject of a release recipient needs: which release order (1-based, in the order they were made) an order number is. */
export type ReleaseOrdinalOf = (orderNumber: string) => number;

const pointer = (field: string): string => `/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * The fields of one new event that PERSONAL_DATA lists, each with its data subject:
 * - `seizedFrom` → `seized-from`;
 * - `witnesses` → each witness sealed apart, `/witnesses/<i>` under `witness-<i+1>` (subjects count from 1);
 * - `releaseTo` (ReleaseOrdered) and `releasedTo` (ItemsReleased) → `release-recipient-<n>`, n the
 *   release order's ordinal in the seizure, found by the order number both events carry in clear;
 * - every free-text field → `free-text`.
 * Fields absent from the data are skipped; an identity field not mapped here is refused, so a new
 * one cannot be written in clear by mistake.
 */
export function fieldsToSeal(type: string, data: JsonValue, releaseOrdinalOf: ReleaseOrdinalOf): FieldToSeal[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const kinds = (PERSONAL_DATA[type as SeizureEventType] ?? {}) as Record<string, PersonalDataKind | undefined>;
  return personalDataFieldsOf(type).flatMap((field): FieldToSeal[] => {
    const value = data[field];
    if (value === undefined) return [];
    if (kinds[field] === 'free-text') return [{ fieldPath: pointer(field), subject: SUBJECTS.freeText }];
    switch (field) {
      case 'seizedFrom':
        return [{ fieldPath: pointer(field), subject: SUBJECTS.seizedFrom }];
      case 'witnesses':
        return Array.isArray(value) ? value.map((_, i) => ({ fieldPath: `/witnesses/${i}`, subject: SUBJECTS.witness(i + 1) })) : [];
      case 'releaseTo':
      case 'releasedTo':
        return [{ fieldPath: pointer(field), subject: SUBJECTS.releaseRecipient(releaseOrdinalOf(orderNumberIn(data))) }];
      default:
        throw new Error(`${type}.${field} is personal data with no data subject: map it in fieldsToSeal`);
    }
  });
}

/** The order number a release event carries in clear ('' if it has none, which decide never lets through). */
export const orderNumberIn = (data: { [key: string]: JsonValue }): string => (typeof data.orderNumber === 'string' ? data.orderNumber : '');

/**
 * Release ordinals from the order numbers of the seizure's ReleaseOrdered events, in stream order
 * (the stored ones, then those being appended): the n-th distinct order number is n. An order
 * number not ordered yet gets the next ordinal.
 */
export function releaseOrdinals(orderNumbersInOrder: readonly string[]): ReleaseOrdinalOf {
  const ordinals = new Map<string, number>();
  for (const orderNumber of orderNumbersInOrder) if (!ordinals.has(orderNumber)) ordinals.set(orderNumber, ordinals.size + 1);
  return (orderNumber) => ordinals.get(orderNumber) ?? ordinals.size + 1;
}
