import type { JsonValue } from '../../../shared/json';
import { cloneJson, replaceAt } from '../../../sealing/field-path';
import type { BundledEvent, RevealedField } from '../evidence-bundle.format';

/** What an erased value prints from (printable.ts): when, and under which order. */
const erasedMarker = (field: Extract<RevealedField, { erased: true }>): JsonValue => ({
  erased: true,
  erasedAt: field.erasedAt,
  ...(field.orderReference !== undefined && { orderReference: field.orderReference }),
});

/**
 * An event's data as the PDF prints it: the opened values the bundle carries put back in place of
 * their commitments, an erased one as the erased marker; fields not opened keep their commitment.
 */
export function openedData(e: Pick<BundledEvent, 'data' | 'revealed'>): JsonValue {
  if (!e.revealed || e.revealed.length === 0) return e.data;
  const data = cloneJson(e.data);
  for (const field of e.revealed) {
    try {
      replaceAt(data, field.fieldPath, 'erased' in field ? erasedMarker(field) : field.value);
    } catch {
      // A path the event does not have: the verifier reports it; the PDF prints what the event holds.
    }
  }
  return data;
}
