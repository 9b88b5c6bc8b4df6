import type { JsonValue } from '../../shared/json';
import { cloneJson, replaceAt } from '../../sealing/field-path';

/** What stands, when shown, where an erased value sits in clear in an event written before sealing. */
export interface ErasedInClearValue {
  erased: true;
  erasedAt: string;
  erasureEventId: string;
  orderReference: string;
  /** The value is still in the log, inside hashed data: it was only withheld from this answer. */
  stillInTheLog: true;
}

interface Readable {
  id: string;
  type: string;
  data: JsonValue;
  metadata: { [key: string]: JsonValue };
  recordedAt: string;
}

type KeptInClear = Array<{ eventId?: unknown; fieldPath?: unknown }>;

/**
 * Values an erasure could not shred (events written in clear before sealing) are withheld from
 * every answer built from these events: each field an erasure lists under `keptInClear` shows the
 * erasure instead. The stored events, which hashes and evidence need, are not touched.
 */
export function withholdErasedInClear<E extends Readable>(events: readonly E[]): E[] {
  const erasures = events.filter((e) => e.type === 'PersonalDataErased');
  if (erasures.length === 0) return [...events];
  const withheld = new Map<string, Array<{ fieldPath: string; shown: ErasedInClearValue }>>();
  for (const erasure of erasures) {
    const data = erasure.data as { keptInClear?: KeptInClear; orderReference?: unknown };
    const at = typeof erasure.metadata.occurredAt === 'string' ? erasure.metadata.occurredAt : erasure.recordedAt;
    for (const field of Array.isArray(data.keptInClear) ? data.keptInClear : []) {
      if (typeof field.eventId !== 'string' || typeof field.fieldPath !== 'string') continue;
      const shown: ErasedInClearValue = {
        erased: true,
        erasedAt: at,
        erasureEventId: erasure.id,
        orderReference: typeof data.orderReference === 'string' ? data.orderReference : '',
        stillInTheLog: true,
      };
      withheld.set(field.eventId, [...(withheld.get(field.eventId) ?? []), { fieldPath: field.fieldPath, shown }]);
    }
  }
  return events.map((e) => {
    const fields = withheld.get(e.id);
    if (!fields) return e;
    const data = cloneJson(e.data);
    for (const { fieldPath, shown } of fields) {
      try {
        replaceAt(data, fieldPath, shown as unknown as JsonValue);
      } catch {
        // A path the event does not have: nothing there to withhold.
      }
    }
    return { ...e, data };
  });
}
