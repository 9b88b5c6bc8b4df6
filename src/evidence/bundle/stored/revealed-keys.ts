import { EnvelopeFormatError, parseEnvelopes } from '../../../sealing/envelope';
import type { FieldReveal } from '../../../sealing/seal-fields';

/**
 * The ids of the subject keys whose values a bundle opened: for each field revealed (not erased,
 * not unreadable), the key its envelope names. A stored bundle is sealed under exactly these.
 */
export function keyIdsOfOpenedFields(
  stored: ReadonlyArray<{ id: string; envelopes?: string }>,
  reveals: ReadonlyMap<string, readonly FieldReveal[]>,
): string[] {
  const keyIds = new Set<string>();
  for (const event of stored) {
    const opened = new Set((reveals.get(event.id) ?? []).filter((f) => f.status === 'revealed').map((f) => f.fieldPath));
    if (opened.size === 0 || event.envelopes === undefined) continue;
    try {
      for (const envelope of parseEnvelopes(event.envelopes)) if (opened.has(envelope.fieldPath)) keyIds.add(envelope.keyId);
    } catch (error) {
      // Envelopes that do not parse opened nothing (revealing read them the same way).
      if (!(error instanceof EnvelopeFormatError)) throw error;
    }
  }
  return [...keyIds].sort();
}
