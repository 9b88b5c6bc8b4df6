import { StreamNotFoundError } from '../ledger/errors';
import type { EventStore } from '../ledger/event-store';
import { seizureStreamName, type PersonalDataErased } from './events';
import { keysToShred } from './sealing/erasure-keys';
import type { PersonalDataSealing, ShredOutcome } from './sealing/personal-data-sealing';

/**
 * Carries out again an erasure recorded in a seizure's stream: destroys the keys that sealed what it
 * lists, read from the stream as stored. Harmless to repeat. `not-found` when the stream holds no
 * such erasure (it was never appended, or the log was restored from a backup older than it).
 */
export async function carryOutRecordedErasure(
  store: EventStore,
  sealing: PersonalDataSealing,
  seizureId: string,
  erasureEventId: string,
): Promise<ShredOutcome | 'not-found'> {
  let stored;
  try {
    stored = await store.readStream(seizureStreamName(seizureId));
  } catch (error) {
    if (error instanceof StreamNotFoundError) return 'not-found';
    throw error;
  }
  const erasure = stored.find((e) => e.id === erasureEventId && e.type === 'PersonalDataErased');
  if (!erasure) return 'not-found';
  const data = erasure.data as unknown as PersonalDataErased['data'];
  if (!Array.isArray(data.erasures)) return 'not-found';
  return sealing.shred(seizureId, {
    eventId: erasure.id,
    orderReference: typeof data.orderReference === 'string' ? data.orderReference : '',
    subjects: keysToShred(data, stored),
  });
}
