import type { JsonValue } from '../../shared/json';
import { valueAt } from '../../sealing/field-path';
import type { FieldReveal } from '../../sealing/seal-fields';

/** One opened sealed field as evidence carries it: the value with its salt (base64), or when it was erased. */
export type OpenedField =
  | { fieldPath: string; value: JsonValue; salt: string }
  | { fieldPath: string; erased: true; erasedAt: string; erasureEventId?: string; orderReference?: string };

/**
 * The opened fields of each sealed event, by event id, from what loadSeizure revealed: `events` with
 * their revealed data, `reveals` how each field came out. Unreadable fields are left out (the bundle
 * then shows the bare commitment, and its verifier has nothing to check there).
 */
export function openedFieldsOf(
  events: ReadonlyArray<{ id: string; data: JsonValue }>,
  reveals: ReadonlyMap<string, readonly FieldReveal[]>,
): Map<string, OpenedField[]> {
  const opened = new Map<string, OpenedField[]>();
  for (const e of events) {
    const fields = (reveals.get(e.id) ?? []).flatMap((f): OpenedField[] => {
      if (f.status === 'erased') {
        const { destroyedAt, erasure } = f.tombstone;
        return [
          {
            fieldPath: f.fieldPath,
            erased: true,
            erasedAt: destroyedAt,
            ...(erasure && { erasureEventId: erasure.eventId, orderReference: erasure.orderReference }),
          },
        ];
      }
      if (f.status !== 'revealed') return [];
      const value = valueAt(e.data, f.fieldPath);
      return value === undefined ? [] : [{ fieldPath: f.fieldPath, value, salt: Buffer.from(f.salt).toString('base64') }];
    });
    if (fields.length > 0) opened.set(e.id, fields);
  }
  return opened;
}
