import type { PersonalDataErased, SeizureEvent, SeizureEventEnvelope } from './events';
import { fieldsToSeal, type ReleaseOrdinalOf } from './sealing/sealed-fields';
import type { ErasureBasis, PersonalDataFieldRef } from './values';

/** The erasure a subject's data last went by. */
export interface ErasureRef {
  eventId: string;
  /** When it was decided (UTC). */
  at: string;
  legalBasis: ErasureBasis;
  orderReference: string;
}

/** What the stream holds of one data subject (seized-from, witness-<n>, release-recipient-<n>, free-text). */
export interface SubjectPersonalData {
  /** Sealed fields written since the subject was last erased: what erasing it now shreds. */
  sealed: PersonalDataFieldRef[];
  /** Fields of events written before sealing, not yet named by an erasure: in clear inside hashed data, they cannot be shredded. */
  inClear: PersonalDataFieldRef[];
  /** SHA-256 of the attachments marked as this subject's since the last erasure: stored encrypted under the same key. */
  attachments: string[];
  lastErasure: ErasureRef | null;
}

/** By data subject. */
export type PersonalDataInventory = Record<string, SubjectPersonalData>;

const EMPTY: SubjectPersonalData = { sealed: [], inClear: [], attachments: [], lastErasure: null };

/**
 * The inventory after one more event. Which field belongs to which subject is decided by the same
 * function that chose the keys when the event was sealed (fieldsToSeal), so an erasure names
 * exactly the fields its keys opened. Total over history: an event it cannot map adds nothing.
 */
export function foldPersonalData(
  inventory: PersonalDataInventory,
  envelope: SeizureEventEnvelope,
  releaseOrdinalOf: ReleaseOrdinalOf,
): PersonalDataInventory {
  const event = envelope as SeizureEvent;
  if (event.type === 'PersonalDataErased') return withErasure(inventory, event.data, envelope);
  const withAttachment =
    event.type === 'AttachmentAdded' && typeof event.data.personalDataOf === 'string'
      ? withPersonalAttachment(inventory, event.data.personalDataOf, event.data.sha256)
      : inventory;
  return withFields(withAttachment, envelope, releaseOrdinalOf);
}

function withPersonalAttachment(inventory: PersonalDataInventory, subject: string, sha256: string): PersonalDataInventory {
  const before = inventory[subject] ?? EMPTY;
  return { ...inventory, [subject]: { ...before, attachments: [...before.attachments, sha256] } };
}

function withFields(
  inventory: PersonalDataInventory,
  envelope: SeizureEventEnvelope,
  releaseOrdinalOf: ReleaseOrdinalOf,
): PersonalDataInventory {
  const event = envelope as SeizureEvent;
  let fields: ReturnType<typeof fieldsToSeal>;
  try {
    fields = fieldsToSeal(event.type, event.data as never, releaseOrdinalOf);
  } catch {
    return inventory;
  }
  if (fields.length === 0) return inventory;
  const next = { ...inventory };
  const kept = envelope.sealed === true ? 'sealed' : 'inClear';
  for (const { fieldPath, subject } of fields) {
    const before = next[subject] ?? EMPTY;
    next[subject] = { ...before, [kept]: [...before[kept], { eventId: envelope.eventId, fieldPath }] };
  }
  return next;
}

function withErasure(
  inventory: PersonalDataInventory,
  data: PersonalDataErased['data'],
  envelope: SeizureEventEnvelope,
): PersonalDataInventory {
  if (!Array.isArray(data.erasures)) return inventory;
  const next = { ...inventory };
  const named = new Set((Array.isArray(data.keptInClear) ? data.keptInClear : []).map((f) => `${f.eventId} ${f.fieldPath}`));
  const lastErasure: ErasureRef = {
    eventId: envelope.eventId,
    at: envelope.occurredAt,
    legalBasis: data.legalBasis,
    orderReference: data.orderReference,
  };
  for (const { subject } of data.erasures) {
    const before = next[subject] ?? EMPTY;
    next[subject] = {
      sealed: [],
      inClear: before.inClear.filter((f) => !named.has(`${f.eventId} ${f.fieldPath}`)),
      attachments: [],
      lastErasure,
    };
  }
  return next;
}
