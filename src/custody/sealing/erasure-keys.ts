import type { JsonValue } from '../../shared/json';
import { envelopesBeside } from '../../sealing/envelope';
import type { PersonalDataErased } from '../events';

/** The part of a stored event the key lookup reads. */
interface StoredEvent {
  id: string;
  type: string;
  data: JsonValue;
  envelopes?: string;
}

/** One subject of a recorded erasure, with the keys that sealed what it lists. */
export interface SubjectToShred {
  subject: string;
  keyIds: string[];
}

type ErasureData = Pick<PersonalDataErased['data'], 'erasures'>;

const contentKeyIdOf = (data: JsonValue): string | undefined => {
  const keyId = typeof data === 'object' && data !== null && !Array.isArray(data) ? data.contentKeyId : undefined;
  return typeof keyId === 'string' ? keyId : undefined;
};

/**
 * Which keys an erasure destroys, read from the stream as stored: for each subject, the key ids of
 * the envelopes of the fields it lists, and the content keys of the attachments it lists. Exact,
 * whatever the clocks of the nodes that wrote them said, and the same when carried out again.
 */
export function keysToShred(erasure: ErasureData, stored: readonly StoredEvent[]): SubjectToShred[] {
  const byId = new Map(stored.map((e) => [e.id, e]));
  const attachmentEvents = stored.filter((e) => e.type === 'AttachmentAdded');
  return erasure.erasures.map(({ subject, fields, attachments }) => {
    const keyIds = new Set<string>();
    // Read from the log: an event another release wrote may lack a list.
    const sha256s: unknown[] = Array.isArray(attachments) ? attachments : [];
    for (const field of Array.isArray(fields) ? fields : []) {
      const event = byId.get(field.eventId);
      const envelope = event && envelopesBeside(event.envelopes).find((x) => x.fieldPath === field.fieldPath);
      if (envelope) keyIds.add(envelope.keyId);
    }
    for (const a of attachmentEvents) {
      const data = a.data as { sha256?: unknown; personalDataOf?: unknown };
      const keyId = contentKeyIdOf(a.data);
      if (keyId !== undefined && data.personalDataOf === subject && sha256s.includes(String(data.sha256))) keyIds.add(keyId);
    }
    return { subject, keyIds: [...keyIds] };
  });
}
